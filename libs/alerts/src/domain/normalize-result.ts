import { isPlausibleEventTime, parseTimestamp } from './timestamp';
import type { AlertFormat, NormalizedAlert } from './normalized-alert';

/** Why an input could not be normalized. */
export const NORMALIZE_ERROR_CODES = ['unknown_format', 'invalid_alert', 'unsupported_event'] as const;
/**
 * `unknown_format`: no supported format recognised the input (or the forced format is not one).
 * `invalid_alert`: the format is known but a required field is missing or unreadable.
 * `unsupported_event`: a well-formed record of the format that is not an alert (a Suricata
 * `flow` or `dns` event, for instance); it can be dropped without a dead letter.
 */
export type NormalizeErrorCode = (typeof NORMALIZE_ERROR_CODES)[number];

export interface NormalizeError {
  code: NormalizeErrorCode;
  /** Names the missing or bad field. */
  message: string;
  /** Dotted path of the offending field, when there is one. */
  path?: string;
}

/**
 * Why an alert is dated by its arrival rather than by its own time: it has none, its time can't
 * be read, or the time it gives is implausible (see isPlausibleEventTime).
 */
export const TIME_FALLBACKS = ['missing', 'unreadable', 'implausible'] as const;
export type TimeFallback = (typeof TIME_FALLBACKS)[number];

export type NormalizeResult =
  | {
      ok: true;
      alert: NormalizedAlert;
      /** Set when `alert.time` is the arrival time: why the alert's own time was not taken. */
      timeFallback?: TimeFallback;
    }
  | { ok: false; error: NormalizeError };

/** What a format normalizer gets besides the input; no clock: time comes in from outside. */
export interface NormalizeContext {
  /** When the alert arrived; the alert's time only when it carries none, or an unreadable one. */
  receivedAt: Date | null;
  /** Written by {@link resolveTime} when it dates the alert by `receivedAt`. */
  timeFallback?: TimeFallback;
}

export type FormatNormalizer = (input: unknown, context: NormalizeContext) => NormalizeResult;

export type NormalizeFailure = { ok: false; error: NormalizeError };

export function failure(code: NormalizeErrorCode, message: string, path?: string): NormalizeFailure {
  return { ok: false, error: path === undefined ? { code, message } : { code, message, path } };
}

export function invalid(message: string, path?: string): NormalizeFailure {
  return failure('invalid_alert', message, path);
}

/** Builds the alert with its keys always in the same order, which keeps golden files stable. */
export function success(alert: NormalizedAlert): NormalizeResult {
  return {
    ok: true,
    alert: {
      format: alert.format,
      source: alert.source,
      externalId: alert.externalId,
      title: alert.title,
      description: alert.description,
      threatName: alert.threatName,
      severityId: alert.severityId,
      vendorSeverity: alert.vendorSeverity,
      time: alert.time,
      ruleId: alert.ruleId,
      ruleName: alert.ruleName,
      tactics: alert.tactics,
      techniques: alert.techniques,
      entities: alert.entities,
      customFields: alert.customFields,
      raw: alert.raw,
    },
  };
}

export interface TimeCandidate {
  path: string;
  value: unknown;
}

/**
 * The first readable time among the candidates (in order of preference), else the arrival time.
 * With neither, a failure naming `requiredPath` (or the first candidate): an alert is not placed
 * on a timeline at a guessed time.
 */
export function resolveTime(
  format: AlertFormat,
  candidates: readonly TimeCandidate[],
  context: NormalizeContext,
  requiredPath?: string,
): Date | NormalizeFailure {
  let implausible: TimeCandidate | undefined;
  for (const candidate of candidates) {
    const time = parseTimestamp(candidate.value);
    // Only the fixed span here: the arrival-relative bound is the intake's, which has the clock.
    if (time !== null && isPlausibleEventTime(time)) return time;
    if (time !== null) implausible ??= candidate;
  }
  const present = candidates.find((candidate) => candidate.value !== undefined && candidate.value !== null);
  if (context.receivedAt !== null) {
    context.timeFallback = implausible ? 'implausible' : present ? 'unreadable' : 'missing';
    return context.receivedAt;
  }
  if (implausible !== undefined) {
    return invalid(
      `${format} alert time at ${implausible.path} is implausible (before 2000 or after 2099) and no receivedAt was given`,
      implausible.path,
    );
  }
  if (present !== undefined) {
    return invalid(
      `${format} alert time at ${present.path} is unreadable and no receivedAt was given`,
      present.path,
    );
  }
  const path = requiredPath ?? candidates[0]?.path ?? 'time';
  return invalid(`${format} alert has no time (${path}) and no receivedAt was given`, path);
}

export function isFailure(value: unknown): value is NormalizeFailure {
  return typeof value === 'object' && value !== null && (value as { ok?: unknown }).ok === false;
}

/**
 * Lower-case slug of a product name for `source`: "Okta System Log" -> "okta-system-log".
 * Bounded so that a hostile name cannot blow up the identity key.
 */
export function sourceSlug(name: string): string {
  const slug = name
    .slice(0, 128)
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug === '' ? 'unknown' : slug;
}
