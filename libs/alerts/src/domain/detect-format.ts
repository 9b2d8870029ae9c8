import { isRecord } from './field-access';
import type { AlertFormat } from './normalized-alert';
import { looksLikeCefLine } from './normalizers/cef.normalizer';
import { looksLikeElasticAlert } from './normalizers/elastic.normalizer';
import { looksLikeOcsfFinding } from './normalizers/ocsf.normalizer';
import { looksLikeSplunkAlert } from './normalizers/splunk.normalizer';
import { looksLikeSuricataEvent } from './normalizers/suricata.normalizer';
import { looksLikeWazuhAlert } from './normalizers/wazuh.normalizer';

// Most specific first: an OCSF class_uid or a kibana.alert.* key cannot be a coincidence, while
// Splunk's HEC envelope ({ event, sourcetype }) is the loosest shape and goes last.
const JSON_DETECTORS: ReadonlyArray<readonly [AlertFormat, (input: unknown) => boolean]> = [
  ['ocsf', looksLikeOcsfFinding],
  ['elastic', looksLikeElasticAlert],
  ['wazuh', looksLikeWazuhAlert],
  ['suricata', looksLikeSuricataEvent],
  ['splunk', looksLikeSplunkAlert],
];

/**
 * Recognises the format of one alert: a parsed JSON object (OCSF finding with class_uid 2001 or
 * 2004; Elastic alert with kibana.alert.* or event.kind "signal"; Wazuh alert with rule.level and
 * agent or manager; Suricata EVE record with event_type; Splunk notable, webhook payload or HEC
 * envelope), an Elasticsearch search hit wrapping one in `_source`, or a string holding a CEF
 * line. Null when none fits. Never throws.
 */
export function detectAlertFormat(input: unknown): AlertFormat | null {
  try {
    if (typeof input === 'string') return looksLikeCefLine(input) ? 'cef' : null;
    if (!isRecord(input)) return null;
    for (const [format, detect] of JSON_DETECTORS) if (detect(input)) return format;
    return null;
  } catch {
    // A hostile object (a throwing getter, a revoked Proxy) is no alert of ours.
    return null;
  }
}
