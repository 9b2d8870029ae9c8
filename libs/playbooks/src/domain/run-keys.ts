import { createHash } from 'node:crypto';

import type { EntityType } from '@rampart/alerts';

/** A run id: a uuid, or any short token of letters, digits, `.`, `_` and `-`. */
export const RUN_ID_PATTERN = /^[A-Za-z0-9._-]{1,40}$/;
/** The alphabet and length the containment layer accepts for idempotency keys. */
export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9._:@-]{1,128}$/;

/** `host-3f9a1c2b7d`: stable for an entity, short, and safe in a key. */
export function itemToken(type: EntityType, value: string): string {
  return `${type}-${sha256(`${type}:${value}`).slice(0, 10)}`;
}

export interface KeyParts {
  /** The for_each item's token. */
  item?: string | null;
  /** 1 for the first attempt; retries add `.r<n>`. */
  attempt?: number;
  /** A guardrail approved it: `.g`. */
  approved?: boolean;
  /** Fan-out by capability: `@<connector>`. */
  connector?: string | null;
}

/**
 * `run:<run id>:<step id>[:<item>]`, where the item part is the entity token, `.r<n>` for retry n,
 * `.g` after a guardrail approval and `@<connector>` for fan-out, in that order (so distinct
 * parts give distinct keys). An item part that would pass 128 characters becomes `h` and 20 hex
 * digits of its sha256.
 */
export function runKey(runId: string, stepId: string, parts: KeyParts = {}): string {
  const attempt = parts.attempt ?? 1;
  const item = [
    parts.item ?? '',
    attempt > 1 ? `.r${attempt - 1}` : '',
    parts.approved ? '.g' : '',
    parts.connector ? `@${parts.connector}` : '',
  ].join('');
  const base = `run:${runId}:${stepId}`;
  if (item === '') return base;
  const key = `${base}:${item}`;
  return key.length <= 128 ? key : `${base}:h${sha256(item).slice(0, 20)}`;
}

/** The instance key of a step: `<step id>` or `<step id>[<item token>]`. */
export function instanceKey(stepId: string, item: string | null): string {
  return item === null ? stepId : `${stepId}[${item}]`;
}

/** The id of the approval for a key (`run:` becomes `approval:`). */
export function approvalIdOf(key: string): string {
  return `approval:${key.slice('run:'.length)}`;
}

/** A number in [0, 1) from the key: retry jitter that replays the same. */
export function stableRandom(...parts: (string | number)[]): number {
  return Number.parseInt(sha256(parts.join('\u0000')).slice(0, 12), 16) / 2 ** 48;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
