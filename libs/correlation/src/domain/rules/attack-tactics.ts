import { tacticById } from '@rampart/alerts';

export const TACTIC_ID_PATTERN = /^TA\d{4}$/;
/** A technique or sub-technique id: T1110 or T1110.001. */
export const TECHNIQUE_ID_PATTERN = /^T\d{4}(?:\.\d{3})?$/;

/**
 * Whether the id is an ATT&CK Enterprise tactic. Rules naming any other well-formed id still
 * load, with a warning: ATT&CK grows, Mobile and ICS have their own ids, and a typo should be
 * pointed out rather than silence the rule.
 */
export function isKnownTactic(id: string): boolean {
  return tacticById(id) !== undefined;
}

/** The tactic's name when known, for match summaries; the id otherwise. */
export function tacticLabel(id: string): string {
  return tacticById(id)?.name ?? id;
}
