import { alertIdentity, type IdentifiedAlert, normalizeAlert } from '@rampart/alerts';

/**
 * A native alert as intake hands it to the alert store: normalized (a failure throws, naming the
 * reason) and identified, with no original bytes and no intake source.
 */
export function identifiedAlert(native: unknown): IdentifiedAlert {
  const normalized = normalizeAlert(native, { receivedAt: new Date() });
  if (!normalized.ok) throw new Error(normalized.error.message);
  return {
    identity: alertIdentity(normalized.alert),
    alert: normalized.alert,
    original: null,
    intakeSource: null,
  };
}
