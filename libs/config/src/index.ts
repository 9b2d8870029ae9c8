export { AppConfig, ConfigError } from './app-config';
export { ConfigModule } from './config.module';
export { environmentSchema, isLoopbackUrl, SLA_SEVERITIES, SOAR_ROLES } from './config.schema';
export type { Environment, SlaSeverity, SoarRole } from './config.schema';
export { formatDuration, parseDuration } from './duration';
