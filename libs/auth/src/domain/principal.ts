/**
 * Who may work in Rampart. People get one of the first five; `ingest` is for SIEMs and
 * forwarders that only send alerts.
 * - viewer: reads incidents, alerts, actions, playbooks and runs;
 * - analyst: a viewer who triages (incident changes, comments), sends alerts and starts playbooks;
 * - responder: an analyst who contains (actions, rollbacks), decides approvals and cancels runs;
 * - auditor: reads everything, verifies the audit trail and makes reports; changes nothing else;
 * - admin: everything, including users, keys, connectors and protected assets.
 */
export const ROLES = ['viewer', 'analyst', 'responder', 'auditor', 'admin', 'ingest'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling: resolved from an API key (or a console session). */
export interface Principal {
  kind: 'api_key';
  id: string;
  name: string;
  role: Role;
}
