/** What is known of a webhook delivery's source before deciding whose it is. */
export interface DeliverySourceFacts {
  /** X-Soar-Source (or ?source=), when given. */
  named: string | undefined;
  /** The source the caller's API key is bound to, when it is. */
  boundToKey: string | undefined;
  /** The source the delivery would be for (named, else bound), as stored; undefined: no such source. */
  source:
    { name: string; hmacSecret: string | null; hasBoundKeys: boolean; keyBoundHere: boolean } | undefined;
}

export type DeliverySource =
  | { ok: true; source: { name: string; hmacSecret: string | null } | null }
  | { ok: false; status: 400 | 403; code: 'unknown_source' | 'source_mismatch'; message: string };

/**
 * Whose a delivery is. A key bound to a source delivers for that source only, named or not (so a
 * signing source's key cannot skip signing by leaving X-Soar-Source out); a source with bound
 * keys takes deliveries from those keys only (so another key cannot speak for it). Without a
 * name or a bound key the delivery has no source.
 */
export function decideDeliverySource(facts: DeliverySourceFacts): DeliverySource {
  const { named, boundToKey, source } = facts;
  if (named !== undefined && boundToKey !== undefined && named !== boundToKey) {
    return {
      ok: false,
      status: 403,
      code: 'source_mismatch',
      message: `this API key delivers for intake source "${boundToKey}" only`,
    };
  }
  const name = named ?? boundToKey;
  if (name === undefined) return { ok: true, source: null };
  if (source === undefined) {
    return { ok: false, status: 400, code: 'unknown_source', message: `no intake source named "${name}"` };
  }
  if (source.hasBoundKeys && !source.keyBoundHere) {
    return {
      ok: false,
      status: 403,
      code: 'source_mismatch',
      message: `intake source "${name}" takes deliveries only from the API keys bound to it`,
    };
  }
  return { ok: true, source: { name: source.name, hmacSecret: source.hmacSecret } };
}
