import { detectAlertFormat } from './detect-format';
import { isRecord } from './field-access';
import {
  failure,
  invalid,
  type FormatNormalizer,
  type NormalizeContext,
  type NormalizeResult,
} from './normalize-result';
import { ALERT_FORMATS, type AlertFormat } from './normalized-alert';
import { normalizeCefLine } from './normalizers/cef.normalizer';
import { normalizeElasticAlert } from './normalizers/elastic.normalizer';
import { normalizeOcsfFinding } from './normalizers/ocsf.normalizer';
import { normalizeSplunkAlert } from './normalizers/splunk.normalizer';
import { normalizeSuricataAlert } from './normalizers/suricata.normalizer';
import { normalizeWazuhAlert } from './normalizers/wazuh.normalizer';

export type { NormalizeError, NormalizeErrorCode, NormalizeResult, TimeFallback } from './normalize-result';

export interface NormalizeOptions {
  /** Skip detection and read the input as this format; a misfit is then `invalid_alert`. */
  format?: AlertFormat;
  /** Arrival time: the alert's time when the alert itself has none (or an unreadable one). */
  receivedAt?: Date;
}

/**
 * Deeper than any SIEM nests an alert (they stay within about 15 levels); beyond it, recursive
 * code (JSON.stringify, fingerprints) would run out of stack on a crafted payload.
 */
export const MAX_ALERT_DEPTH = 64;

const NORMALIZERS: Readonly<Record<AlertFormat, FormatNormalizer>> = {
  elastic: normalizeElasticAlert,
  ocsf: normalizeOcsfFinding,
  wazuh: normalizeWazuhAlert,
  suricata: normalizeSuricataAlert,
  splunk: normalizeSplunkAlert,
  cef: normalizeCefLine,
};

/**
 * Normalizes one alert in any supported format (detected, or forced with `options.format`) into
 * a {@link NormalizedAlert}. JSON input must already be parsed, with
 * {@link parseJsonLosslessly} so that Suricata flow ids stay exact; a CEF line is passed as a
 * string. The raw input is kept by reference, not copied. Never throws: every failure is a
 * result whose message names the missing or bad field.
 */
export function normalizeAlert(input: unknown, options?: NormalizeOptions): NormalizeResult {
  try {
    const requested: unknown = isRecord(options) ? options.format : undefined;
    if (requested !== undefined && !(ALERT_FORMATS as readonly unknown[]).includes(requested)) {
      return failure('unknown_format', `format must be one of ${ALERT_FORMATS.join(', ')}`, 'format');
    }
    if (exceedsDepth(input, MAX_ALERT_DEPTH)) {
      return failure('invalid_alert', `the alert is nested deeper than ${MAX_ALERT_DEPTH} levels`);
    }
    const format = (requested as AlertFormat | undefined) ?? detectAlertFormat(input);
    if (format === null) return failure('unknown_format', describeUnrecognised(input));
    const receivedAt: unknown = isRecord(options) ? options.receivedAt : undefined;
    const context: NormalizeContext = {
      receivedAt: receivedAt instanceof Date && !Number.isNaN(receivedAt.getTime()) ? receivedAt : null,
    };
    const result = NORMALIZERS[format](input, context);
    return result.ok && context.timeFallback !== undefined
      ? { ...result, timeFallback: context.timeFallback }
      : result;
  } catch (error) {
    return invalid(
      `alert could not be read: ${error instanceof Error ? error.message.slice(0, 200) : 'unknown error'}`,
    );
  }
}

function describeUnrecognised(input: unknown): string {
  if (typeof input === 'string') return 'string input is not a CEF line (no "CEF:<version>|" header)';
  if (Array.isArray(input)) return 'input is an array: normalize each alert on its own';
  if (!isRecord(input))
    return `input is ${input === null ? 'null' : typeof input}, not an alert object or CEF line`;
  return (
    'no supported alert format recognised: expected OCSF class_uid 2001/2004, Elastic kibana.alert.*, ' +
    'Wazuh rule.level with agent, Suricata event_type, or Splunk event_id/search_name/sid/event'
  );
}

/** Iterative, so that the check itself cannot run out of stack. */
function exceedsDepth(input: unknown, limit: number): boolean {
  const stack: { value: unknown; depth: number }[] = [{ value: input, depth: 0 }];
  while (stack.length > 0) {
    const { value, depth } = stack.pop() as { value: unknown; depth: number };
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= limit) return true;
    for (const child of Array.isArray(value) ? value : Object.values(value)) {
      if (typeof child === 'object' && child !== null) stack.push({ value: child, depth: depth + 1 });
    }
  }
  return false;
}
