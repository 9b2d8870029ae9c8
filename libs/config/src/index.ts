export { AppConfig, ConfigError } from './app-config';
export { ConfigModule } from './config.module';
export { SOAR_ROLES, environmentSchema } from './config.schema';
export type { Environment, SoarRole } from './config.schema';
export { formatDuration, parseDuration } from './duration';
