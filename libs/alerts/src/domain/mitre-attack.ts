import type { AttackTactic, AttackTechnique } from './normalized-alert';

/** One MITRE ATT&CK Enterprise tactic. `shortName` is ATT&CK's own slug (x_mitre_shortname). */
export interface MitreTactic {
  readonly id: string;
  readonly name: string;
  readonly shortName: string;
}

/** The 14 MITRE ATT&CK Enterprise tactics, in kill-chain order. */
export const MITRE_ENTERPRISE_TACTICS: readonly MitreTactic[] = [
  { id: 'TA0043', name: 'Reconnaissance', shortName: 'reconnaissance' },
  { id: 'TA0042', name: 'Resource Development', shortName: 'resource-development' },
  { id: 'TA0001', name: 'Initial Access', shortName: 'initial-access' },
  { id: 'TA0002', name: 'Execution', shortName: 'execution' },
  { id: 'TA0003', name: 'Persistence', shortName: 'persistence' },
  { id: 'TA0004', name: 'Privilege Escalation', shortName: 'privilege-escalation' },
  { id: 'TA0005', name: 'Defense Evasion', shortName: 'defense-evasion' },
  { id: 'TA0006', name: 'Credential Access', shortName: 'credential-access' },
  { id: 'TA0007', name: 'Discovery', shortName: 'discovery' },
  { id: 'TA0008', name: 'Lateral Movement', shortName: 'lateral-movement' },
  { id: 'TA0009', name: 'Collection', shortName: 'collection' },
  { id: 'TA0011', name: 'Command and Control', shortName: 'command-and-control' },
  { id: 'TA0010', name: 'Exfiltration', shortName: 'exfiltration' },
  { id: 'TA0040', name: 'Impact', shortName: 'impact' },
];

const BY_ID = new Map(MITRE_ENTERPRISE_TACTICS.map((tactic) => [tactic.id, tactic]));
const BY_NAME = new Map(MITRE_ENTERPRISE_TACTICS.map((tactic) => [nameKey(tactic.name), tactic]));

const TACTIC_ID = /^TA\d{4}$/;
const TECHNIQUE_ID = /^T\d{4}(?:\.\d{3})?$/;

// Vendors spell tactic names as "Command and Control", "command-and-control",
// "Command_And_Control" (Suricata ET metadata) or "Command & Control".
function nameKey(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[\s_-]+/g, ' ')
    .trim();
}

export function tacticById(id: string): MitreTactic | undefined {
  return BY_ID.get(id.trim().toUpperCase());
}

/** Case-, space-, hyphen- and underscore-insensitive. */
export function tacticByName(name: string): MitreTactic | undefined {
  if (name.length > 64) return undefined;
  return BY_NAME.get(nameKey(name));
}

/**
 * Completes a tactic from whatever the vendor gave. A known id wins and brings the canonical
 * name; a known name alone brings its id (Wazuh sends names only); an unknown one is kept as
 * given, with a null id when the id is missing or malformed. Null when neither is usable.
 */
export function resolveTactic(id: string | null, name: string | null): AttackTactic | null {
  const upperId = id === null ? null : id.trim().toUpperCase();
  const validId = upperId !== null && TACTIC_ID.test(upperId) ? upperId : null;
  if (validId !== null) {
    const known = BY_ID.get(validId);
    return { id: validId, name: known?.name ?? cleanName(name) };
  }
  const cleaned = cleanName(name);
  if (cleaned === null) return null;
  const known = tacticByName(cleaned);
  return known === undefined ? { id: null, name: cleaned } : { id: known.id, name: known.name };
}

/** "t1059.001" -> "T1059.001"; null for anything that is not a technique or sub-technique id. */
export function normalizeTechniqueId(id: string): string | null {
  const upper = id.trim().toUpperCase();
  return TECHNIQUE_ID.test(upper) ? upper : null;
}

function cleanName(name: string | null): string | null {
  if (name === null) return null;
  const trimmed = name.trim();
  return trimmed === '' || trimmed.length > 128 ? null : trimmed;
}

export interface AttackTags {
  tactics: AttackTactic[];
  techniques: AttackTechnique[];
}

/** Collects tactics and techniques without duplicates, in the order first seen. */
export class AttackCollector {
  private readonly tacticList: AttackTactic[] = [];
  private readonly tacticKeys = new Set<string>();
  private readonly techniqueList: AttackTechnique[] = [];

  tactic(id: string | null, name: string | null): void {
    const tactic = resolveTactic(id, name);
    if (tactic === null) return;
    const key = tactic.id ?? `name:${(tactic.name ?? '').toLowerCase()}`;
    if (this.tacticKeys.has(key)) return;
    this.tacticKeys.add(key);
    this.tacticList.push(tactic);
  }

  technique(id: string | null, name: string | null): void {
    if (id === null) return;
    const normalized = normalizeTechniqueId(id);
    if (normalized === null) return;
    const existing = this.techniqueList.find((technique) => technique.id === normalized);
    const cleaned = cleanName(name);
    if (existing === undefined) this.techniqueList.push({ id: normalized, name: cleaned });
    else if (existing.name === null) existing.name = cleaned;
  }

  /** Parallel id and name lists (Wazuh, Suricata metadata, ECS), paired only when lengths agree. */
  tacticLists(ids: readonly string[], names: readonly string[]): void {
    pairLists(ids, names, (id, name) => this.tactic(id, name));
  }

  techniqueLists(ids: readonly string[], names: readonly string[]): void {
    pairLists(ids, names, (id, name) => this.technique(id, name));
  }

  result(): AttackTags {
    return { tactics: this.tacticList, techniques: this.techniqueList };
  }
}

function pairLists(
  ids: readonly string[],
  names: readonly string[],
  add: (id: string | null, name: string | null) => void,
): void {
  if (ids.length === names.length) {
    ids.forEach((id, i) => add(id, names[i] ?? null));
    return;
  }
  for (const id of ids) add(id, null);
  for (const name of names) add(null, name);
}
