export { AppConfig, ConfigError } from './app-config';
export { ConfigModule } from './config.module';
export { environmentSchema, isLoopbackUrl, SOAR_ROLES } from './config.schema';
export type { Environment, SoarRole } from './config.schema';
export { formatDuration, parseDuration } from './duration';
