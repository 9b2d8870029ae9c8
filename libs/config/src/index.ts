export { AppConfig, ConfigError } from './app-config';
export { ConfigModule } from './config.module';
export { SLA_SEVERITIES, SOAR_ROLES, environmentSchema } from './config.schema';
export type { Environment, SlaSeverity, SoarRole } from './config.schema';
export { formatDuration, parseDuration } from './duration';
