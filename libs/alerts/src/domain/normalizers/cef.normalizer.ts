import { EntityCollector } from '../entity-collector';
import { AttackCollector, type AttackTags } from '../mitre-attack';
import {
  invalid,
  isFailure,
  resolveTime,
  sourceSlug,
  success,
  type NormalizeContext,
  type NormalizeResult,
} from '../normalize-result';
import type { AlertEntity, LabelledField } from '../normalized-alert';
import { cefSeverity } from '../severity';

// ArcSight Common Event Format, one event per line, optionally behind an RFC 3164 or RFC 5424
// syslog header. Parsed by hand in one pass: no regex runs over the (unbounded) extension.

/** How far into a line the `CEF:` marker may sit: room for any syslog header, no more. */
const MAX_PREFIX_LENGTH = 1024;
const HEADER_FIELD_COUNT = 7;
const RFC5424_PREFIX = /^<\d{1,3}>\d{1,2} (\S{1,64}) /;

export interface CefEvent {
  version: string;
  deviceVendor: string;
  deviceProduct: string;
  deviceVersion: string;
  deviceEventClassId: string;
  name: string;
  severity: string;
  /** Extension key/value pairs, unescaped. A Map, so that keys like "__proto__" stay data. */
  extension: Map<string, string>;
  /** The RFC 5424 header timestamp, when the line has one (RFC 3164 timestamps carry no year). */
  syslogTimestamp: string | null;
}

export type CefParseResult = { ok: true; event: CefEvent } | { ok: false; message: string; path: string };

export function looksLikeCefLine(input: unknown): boolean {
  if (typeof input !== 'string') return false;
  const marker = input.slice(0, MAX_PREFIX_LENGTH + 4).indexOf('CEF:');
  return marker !== -1 && /^CEF:\s{0,8}\d{1,3}\|/.test(input.slice(marker, marker + 20));
}

/**
 * Parses one CEF line. Header fields are split on unescaped `|` and unescape `\|` and `\\`. The
 * extension is split before every ` key=` (a space, then [A-Za-z0-9_]+, then `=`), which is how
 * senders that leave spaces unescaped (Barracuda's requestClientApplication=Mozilla/5.0 (Windows
 * NT 10.0; ...)) still parse; values then unescape `\=`, `\\`, `\n` and `\r`, lose surrounding
 * whitespace, and lose one pair of surrounding double quotes (Barracuda writes duser="-").
 */
export function parseCefLine(line: string): CefParseResult {
  const marker = line.slice(0, MAX_PREFIX_LENGTH + 4).indexOf('CEF:');
  if (marker === -1) return { ok: false, message: 'not a CEF line: no "CEF:" header', path: 'header' };

  let i = marker + 4;
  while (i < line.length && (line.charCodeAt(i) === 32 || line.charCodeAt(i) === 9)) i++;

  const fields: string[] = [];
  let piece = '';
  let segmentStart = i;
  let extensionStart = -1;
  while (i < line.length) {
    const code = line.charCodeAt(i);
    if (code === 92 /* \ */) {
      const next = line.charCodeAt(i + 1);
      if (next === 124 /* | */ || next === 92) {
        piece += line.slice(segmentStart, i) + line[i + 1];
        i += 2;
        segmentStart = i;
        continue;
      }
    } else if (code === 124 /* | */) {
      fields.push(piece + line.slice(segmentStart, i));
      piece = '';
      i++;
      segmentStart = i;
      if (fields.length === HEADER_FIELD_COUNT) {
        extensionStart = i;
        break;
      }
      continue;
    }
    i++;
  }
  if (extensionStart === -1) {
    return {
      ok: false,
      message: `CEF header needs ${HEADER_FIELD_COUNT} "|"-terminated fields (Version|Device Vendor|Device Product|Device Version|Device Event Class ID|Name|Severity|), found ${fields.length}`,
      path: 'header',
    };
  }
  const [version, deviceVendor, deviceProduct, deviceVersion, deviceEventClassId, name, severity] =
    fields.map((field) => field.trim()) as [string, string, string, string, string, string, string];
  if (version !== '0' && version !== '1') {
    return {
      ok: false,
      message: `CEF version must be 0 or 1, got "${version.slice(0, 16)}"`,
      path: 'version',
    };
  }

  const prefix = RFC5424_PREFIX.exec(line.slice(0, marker));
  return {
    ok: true,
    event: {
      version,
      deviceVendor,
      deviceProduct,
      deviceVersion,
      deviceEventClassId,
      name,
      severity,
      extension: parseExtension(line, extensionStart),
      syslogTimestamp: prefix === null || prefix[1] === '-' ? null : (prefix[1] ?? null),
    },
  };
}

function isKeyChar(code: number): boolean {
  return (
    (code >= 48 && code <= 57) ||
    (code >= 65 && code <= 90) ||
    (code >= 97 && code <= 122) ||
    code === 95 /* _ */
  );
}

function parseExtension(line: string, from: number): Map<string, string> {
  // Key boundaries: [keyStart, equalsIndex] pairs. A key starts the extension or follows a space.
  const bounds: number[] = [];
  const end = line.length;
  let i = from;
  while (i < end) {
    if (i === from || line.charCodeAt(i - 1) === 32) {
      let j = i;
      while (j < end && isKeyChar(line.charCodeAt(j))) j++;
      if (j > i && j < end && line.charCodeAt(j) === 61 /* = */) {
        bounds.push(i, j);
        i = j + 1;
        continue;
      }
      if (j > i) {
        i = j;
        continue;
      }
    }
    i++;
  }

  const extension = new Map<string, string>();
  for (let k = 0; k < bounds.length; k += 2) {
    const keyStart = bounds[k] as number;
    const equals = bounds[k + 1] as number;
    const valueEnd = k + 2 < bounds.length ? (bounds[k + 2] as number) : end;
    extension.set(line.slice(keyStart, equals), cleanValue(line.slice(equals + 1, valueEnd)));
  }
  return extension;
}

function cleanValue(rawValue: string): string {
  let value = rawValue.trim();
  if (value.includes('\\')) value = unescapeValue(value);
  if (value.length >= 2 && value.charCodeAt(0) === 34 && value.charCodeAt(value.length - 1) === 34) {
    value = value.slice(1, -1).trim();
  }
  return value;
}

function unescapeValue(value: string): string {
  let out = '';
  let segmentStart = 0;
  for (let i = 0; i < value.length; i++) {
    if (value.charCodeAt(i) !== 92) continue;
    const next = value[i + 1];
    const replacement =
      next === '=' ? '=' : next === '\\' ? '\\' : next === 'n' ? '\n' : next === 'r' ? '\r' : null;
    if (replacement === null) continue;
    out += value.slice(segmentStart, i) + replacement;
    i++;
    segmentStart = i + 1;
  }
  return out + value.slice(segmentStart);
}

export function normalizeCefLine(input: unknown, context: NormalizeContext): NormalizeResult {
  if (typeof input !== 'string') return invalid('cef alert must be a string holding one CEF line');
  const parsed = parseCefLine(input);
  if (!parsed.ok) return invalid(parsed.message, parsed.path);
  const event = parsed.event;
  const ext = (...keys: string[]): string | undefined => {
    for (const key of keys) {
      const value = event.extension.get(key);
      if (value !== undefined && value !== '') return value;
    }
    return undefined;
  };

  const labelled = customFields(event.extension);
  const threatName = labelledValue(labelled, THREAT_NAME_LABEL);
  const name = event.name || event.deviceEventClassId;
  if (name === '') return invalid('CEF header has an empty Name and Device Event Class ID', 'name');
  // A Name that only says what kind of event it is ("THREAT", "Malware", "Signature") gives way to
  // the threat the vendor named.
  const title = threatName !== null && isCategoryName(name, ext('cat')) ? threatName : name;

  const time = resolveTime(
    'cef',
    [
      // A detection or event time the vendor labelled is the activity's own time; rt is when the
      // device received it.
      ...labelled
        .filter((field) => field.label !== null && DATE_LABEL.test(labelKind(field.label)))
        .map((field) => ({ path: field.key, value: field.value })),
      { path: 'rt', value: ext('rt', 'deviceReceiptTime') },
      { path: 'end', value: ext('end', 'endTime') },
      { path: 'start', value: ext('start', 'startTime') },
      { path: 'syslog timestamp', value: event.syslogTimestamp ?? undefined },
    ],
    context,
    'rt',
  );
  if (isFailure(time)) return time;

  // The header's severity, else the vendor's own field: Check Point cp_severity, a custom field
  // labelled threatLevel (FortiWeb), severity or level.
  const vendorSeverityValues = [
    ...['cp_severity', 'severity', 'deviceSeverity'].flatMap((key) => ext(key) ?? []),
    ...labelled
      .filter((field) => field.label !== null && SEVERITY_LABEL.test(labelKind(field.label)))
      .map((field) => field.value),
  ];
  const headerSeverity = event.severity === '' ? null : event.severity;
  const fromVendorField = /^unknown$/i.test(headerSeverity ?? 'unknown')
    ? vendorSeverityValues[0]
    : undefined;

  return success({
    format: 'cef',
    source: `cef:${sourceSlug(event.deviceVendor)}:${sourceSlug(event.deviceProduct)}`,
    // CEF has no event id; identity falls back to the content fingerprint.
    externalId: null,
    title,
    description: ext('msg', 'message') ?? null,
    threatName,
    severityId: cefSeverity(headerSeverity, vendorSeverityValues),
    vendorSeverity:
      fromVendorField === undefined
        ? headerSeverity
        : headerSeverity === null
          ? fromVendorField
          : `${headerSeverity} (${fromVendorField})`,
    time,
    ruleId: event.deviceEventClassId === '' ? null : event.deviceEventClassId,
    ruleName: event.name === '' ? null : event.name,
    ...attacks(event.extension),
    entities: entities(ext, labelled),
    customFields: labelled,
    raw: input,
  });
}

// Custom fields: short (cs1, cn1, cfp1, c6a1) and long (deviceCustomString1...) keys, with
// their `<key>Label`.
const CUSTOM_FIELD =
  /^(?:cs|cn|cfp|c6a|deviceCustomString|deviceCustomNumber|deviceCustomFloatingPoint|deviceCustomIPv6Address|deviceCustomDate|flexString|flexNumber|flexDate)\d$/;
const MAX_CUSTOM_FIELDS = 64;
const MAX_CUSTOM_VALUE = 1024;

// Labels by what they name, compared lower-case with everything but letters dropped.
const THREAT_NAME_LABEL =
  /^(?:threat|threatname|malware|malwarename|virus|virusname|spyware|signature|signaturename|attack|attackname|threatid)$/;
const SEVERITY_LABEL = /^(?:threatlevel|severity|severitylevel|threatseverity|level)$/;
const DATE_LABEL =
  /^(?:detectiontime|detectiondate|detectedtime|detectedat|eventtime|eventdate|occurrencetime|firstdetected)$/;
const USER_LABEL = /^(?:user|username|useraccount|account|accountname|login|loginname)$/;
const VALUE_PLACEHOLDER = /^(?:-|n\/a|na|null|none|unknown)$/i;

// Header names that only say what kind of event it is.
const CATEGORY_NAMES = new Set([
  'threat',
  'malware',
  'virus',
  'spyware',
  'signature',
  'attack',
  'intrusion',
  'alert',
  'detection',
  'antivirus',
  'ips',
  'ids',
  'waf',
  'vulnerability',
  'securityevent',
]);

function labelKind(label: string): string {
  return label.toLowerCase().replace(/[^a-z]/g, '');
}

/** "THREAT", "Malware", the `cat` value again, or "<something> event" (WithSecure's "Manual Scanning event"). */
function isCategoryName(name: string, category: string | undefined): boolean {
  const kind = labelKind(name);
  return (
    CATEGORY_NAMES.has(kind) ||
    /\bevent$/i.test(name.trim()) ||
    (category !== undefined && kind === labelKind(category))
  );
}

/** Every custom field with a value, in the order sent, with its label (or null). Bounded. */
function customFields(extension: Map<string, string>): LabelledField[] {
  const out: LabelledField[] = [];
  for (const [key, value] of extension) {
    if (out.length >= MAX_CUSTOM_FIELDS) break;
    if (!CUSTOM_FIELD.test(key) || value === '') continue;
    const label = extension.get(`${key}Label`);
    out.push({
      key,
      label: label === undefined || label === '' ? null : label.slice(0, 256),
      value: value.slice(0, MAX_CUSTOM_VALUE),
    });
  }
  return out;
}

function labelledValue(fields: readonly LabelledField[], kind: RegExp): string | null {
  for (const field of fields) {
    if (field.label === null || !kind.test(labelKind(field.label))) continue;
    const value = field.value.trim();
    if (value !== '' && !VALUE_PLACEHOLDER.test(value)) return value;
  }
  return null;
}

/**
 * CEF has no ATT&CK field. Senders that carry it use a custom string (cs1..cs6) whose label names
 * it ("mitreTactic", "MITRE Tactic ID", "mitre_technique"...); values may be comma-separated.
 */
function attacks(extension: Map<string, string>): AttackTags {
  const collector = new AttackCollector();
  for (let n = 1; n <= 6; n++) {
    const label = extension.get(`cs${n}Label`);
    const value = extension.get(`cs${n}`);
    if (label === undefined || value === undefined) continue;
    const kind = label.toLowerCase().replace(/[^a-z]/g, '');
    if (!kind.startsWith('mitre')) continue;
    for (const item of value.split(',')) {
      const text = item.trim();
      if (kind.includes('tactic')) {
        if (/^TA\d{4}$/i.test(text)) collector.tactic(text, null);
        else collector.tactic(null, text);
      } else if (kind.includes('technique')) {
        collector.technique(text, null);
      }
    }
  }
  return collector.result();
}

function entities(
  ext: (...keys: string[]) => string | undefined,
  labelled: readonly LabelledField[],
): AlertEntity[] {
  const e = new EntityCollector();
  e.ip(ext('src', 'sourceAddress'), 'source');
  e.ip(ext('sourceTranslatedAddress'), 'source');
  e.host(ext('shost', 'sourceHostName'), 'source');
  e.domain(ext('sourceDnsDomain'), 'source');
  e.ip(ext('dst', 'destinationAddress'), 'destination');
  e.ip(ext('destinationTranslatedAddress'), 'destination');
  e.host(ext('dhost', 'destinationHostName'), 'destination');
  e.domain(ext('destinationDnsDomain'), 'destination');
  e.host(ext('dvchost', 'deviceHostName'), 'observer');
  e.user(ext('suser', 'sourceUserName'), 'actor', ext('sntdom', 'sourceNtDomain'));
  e.user(ext('duser', 'destinationUserName'), 'target', ext('dntdom', 'destinationNtDomain'));
  e.fileHash(ext('fileHash'));
  e.fileHash(ext('oldFileHash'));
  e.url(ext('request', 'requestUrl'), 'related');
  e.process(ext('sproc', 'sourceProcessName'), 'related');
  e.process(ext('dproc', 'destinationProcessName'), 'related');
  e.process(ext('deviceProcessName'), 'related');
  for (const field of labelled) {
    const kind = field.label === null ? '' : labelKind(field.label);
    // IPv6 custom fields (c6a1..4): "Source IPv6 Address", "Device IPv6 Address"...
    if (/^(?:c6a|deviceCustomIPv6Address)\d$/.test(field.key) || kind.includes('ipv')) {
      const role = /source|src/.test(kind)
        ? 'source'
        : /dest|dst/.test(kind)
          ? 'destination'
          : /device/.test(kind)
            ? 'observer'
            : 'related';
      e.ip(field.value, role);
    } else if (USER_LABEL.test(kind)) {
      e.user(field.value, 'related');
    }
  }
  return e.build();
}
