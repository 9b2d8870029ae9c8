export { AlertsHttpModule, AlertsModule } from './alerts.module';
export { AlertReader } from './application/alert-reader';
export type { AlertDetail, AlertSearchFilter, AlertSummary } from './application/alert-reader';
export { OCSF_VERSION, toOcsfDetectionFinding } from './domain/ocsf-detection-finding';
export { AlertStore } from './application/alert-store';
export type { AlertIntake, IdentifiedAlert, StoredAlert } from './application/alert-store';
export { alertIdentity } from './domain/alert-identity';
export { detectAlertFormat } from './domain/detect-format';
export { parseJsonLosslessly } from './domain/lossless-json';
export { MITRE_ENTERPRISE_TACTICS, tacticById, tacticByName } from './domain/mitre-attack';
export { normalizeAlert } from './domain/normalize-alert';
export type { NormalizeErrorCode, NormalizeResult } from './domain/normalize-result';
export * from './domain/normalized-alert';
export { buildSampleAlert } from './domain/samples/sample-alerts';
export { contentFingerprint } from './domain/alert-identity';
export { normalizeTechniqueId, resolveTactic, type MitreTactic } from './domain/mitre-attack';
export type { NormalizeOptions } from './domain/normalize-alert';
export {
  NORMALIZE_ERROR_CODES,
  type NormalizeError,
  TIME_FALLBACKS,
  type TimeFallback,
} from './domain/normalize-result';
export { isPlausibleEventTime, MAX_EVENT_TIME_SKEW_MS } from './domain/timestamp';
export { sampleExternalId, type SampleAlertSpec } from './domain/samples/sample-alerts';
