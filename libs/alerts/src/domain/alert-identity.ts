import { createHash } from 'node:crypto';

import { boundedKey } from './bounded-key';
import { canonicalJson } from './canonical-json';
import type { NormalizedAlert } from './normalized-alert';

/**
 * The key duplicate deliveries are dropped on: `<source>|<externalId>` when the vendor gave the
 * alert an id (Elastic kibana.alert.uuid or ECS event.id, OCSF finding uid, Wazuh id, Suricata
 * flow_id:signature_id:tx_id, Splunk event_id, a webhook's sid with a digest of its rows, a HEC
 * event's id), otherwise `fp|<sha256 hex>` of the raw
 * alert's content (see {@link contentFingerprint}). The same alert delivered twice, by webhook or
 * Kafka, in any key order, gives the same identity.
 */
export function alertIdentity(alert: NormalizedAlert): string {
  if (alert.externalId !== null && alert.externalId !== '')
    return boundedKey(`${alert.source}|${alert.externalId}`);
  return `fp|${contentFingerprint(alert.raw)}`;
}

/**
 * SHA-256 hex of the canonical (key-sorted) JSON of a raw alert. A CEF line is hashed from its
 * `CEF:` marker on, trailing whitespace trimmed: the syslog prefix carries the relay's own
 * receive time and host name, which differ between two relays forwarding the same event.
 */
export function contentFingerprint(raw: unknown): string {
  let canonical: unknown = raw;
  if (typeof raw === 'string') {
    const marker = raw.indexOf('CEF:');
    canonical = (marker > 0 ? raw.slice(marker) : raw).trimEnd();
  }
  return createHash('sha256').update(canonicalJson(canonical)).digest('hex');
}
