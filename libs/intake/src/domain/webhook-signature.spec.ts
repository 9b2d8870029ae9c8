import { canonicalSignature, signWebhook, verifyWebhookSignature } from './webhook-signature';

const secret = 'shared-secret';
const body = Buffer.from('{"a":1}');
const now = 1_800_000_000_000;
const timestamp = String(now / 1000);

function check(overrides: Partial<Parameters<typeof verifyWebhookSignature>[0]> = {}) {
  return verifyWebhookSignature({
    signatureHeader: signWebhook(secret, timestamp, body),
    timestampHeader: timestamp,
    rawBody: body,
    secret,
    nowMs: now,
    toleranceSeconds: 300,
    ...overrides,
  });
}

describe('verifyWebhookSignature', () => {
  it('accepts a signature over timestamp and body', () => {
    expect(check()).toBeNull();
  });

  it('refuses a body changed after signing', () => {
    expect(check({ rawBody: Buffer.from('{"a":2}') })).toBe('bad_signature');
  });

  it('refuses the signature moved to another timestamp', () => {
    expect(check({ timestampHeader: String(now / 1000 + 1) })).toBe('bad_signature');
  });

  it('refuses a stale or future timestamp beyond the tolerance', () => {
    expect(check({ nowMs: now + 301_000 })).toBe('stale_timestamp');
    expect(check({ nowMs: now - 301_000 })).toBe('stale_timestamp');
    expect(check({ nowMs: now + 299_000 })).toBeNull();
  });

  it('names missing and malformed headers', () => {
    expect(check({ signatureHeader: undefined })).toBe('missing_signature');
    expect(check({ timestampHeader: undefined })).toBe('missing_timestamp');
    expect(check({ signatureHeader: 'md5=abc' })).toBe('malformed_signature');
    expect(check({ timestampHeader: 'yesterday' })).toBe('malformed_timestamp');
  });

  it('refuses a signature made with another secret', () => {
    expect(check({ signatureHeader: signWebhook('other', timestamp, body) })).toBe('bad_signature');
  });
});

describe('canonicalSignature', () => {
  it('spells every accepted form of one signature the same way', () => {
    const signature = signWebhook(secret, timestamp, body);
    const hex = signature.slice(7);
    for (const form of [signature, `SHA256=${hex}`, `Sha256=${hex.toUpperCase()}`, ` sha256=${hex} `]) {
      expect(canonicalSignature(form)).toBe(`sha256=${hex}`);
      expect(check({ signatureHeader: form })).toBeNull();
    }
    expect(canonicalSignature('sha256=xyz')).toBeNull();
  });
});
