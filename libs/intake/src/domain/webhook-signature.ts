import { createHmac, timingSafeEqual } from 'node:crypto';

export type SignatureFailure =
  | 'missing_signature'
  | 'missing_timestamp'
  | 'malformed_signature'
  | 'malformed_timestamp'
  | 'stale_timestamp'
  | 'bad_signature';

export interface SignatureCheck {
  signatureHeader: string | undefined;
  timestampHeader: string | undefined;
  rawBody: Buffer;
  secret: string;
  nowMs: number;
  toleranceSeconds: number;
}

export const SIGNATURE_FAILURE_MESSAGES: Record<SignatureFailure, string> = {
  missing_signature: 'X-Soar-Signature is required for this source',
  missing_timestamp: 'X-Soar-Timestamp is required with X-Soar-Signature',
  malformed_signature: 'X-Soar-Signature must be sha256=<64 hex characters>',
  malformed_timestamp: 'X-Soar-Timestamp must be Unix seconds',
  stale_timestamp: 'X-Soar-Timestamp is outside the allowed clock skew',
  bad_signature: 'X-Soar-Signature does not match the body',
};

/** The signed message: `<timestamp>.<raw body>`, so a signature can't be moved to another time. */
export function signWebhook(secret: string, timestamp: string, rawBody: Buffer | string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex')}`;
}

/**
 * The one spelling of a signature header, `sha256=<64 lower-case hex>`, or null when it is not
 * one. The scheme name and the hex digits are read case-insensitively, so a signature is
 * compared and remembered (replay guard) in this form: `SHA256=` or upper-case hex is the same
 * signature, not a new one.
 */
export function canonicalSignature(header: string): string | null {
  const match = /^sha256=([0-9a-f]{64})$/i.exec(header.trim());
  return match ? `sha256=${(match[1] as string).toLowerCase()}` : null;
}

/** Verifies an intake signature; returns null when valid, else why not. */
export function verifyWebhookSignature(check: SignatureCheck): SignatureFailure | null {
  if (!check.signatureHeader) return 'missing_signature';
  if (!check.timestampHeader) return 'missing_timestamp';
  const canonical = canonicalSignature(check.signatureHeader);
  if (!canonical) return 'malformed_signature';
  if (!/^\d{1,12}$/.test(check.timestampHeader.trim())) return 'malformed_timestamp';
  const timestamp = Number(check.timestampHeader.trim());
  if (Math.abs(check.nowMs / 1000 - timestamp) > check.toleranceSeconds) return 'stale_timestamp';
  const expected = Buffer.from(
    signWebhook(check.secret, check.timestampHeader.trim(), check.rawBody).slice(7),
    'hex',
  );
  const given = Buffer.from(canonical.slice(7), 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected) ? null : 'bad_signature';
}
