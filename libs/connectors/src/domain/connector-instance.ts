import { Capability } from './capability';

export const CONNECTOR_TYPES = [
  'panos',
  'fortigate',
  'crowdstrike',
  'mde',
  'fortigate-sslvpn',
  'okta',
  'webhook',
  'slack',
] as const;
export type ConnectorType = (typeof CONNECTOR_TYPES)[number];

/** Which capability each adapter type provides. */
export const CONNECTOR_CAPABILITY: Readonly<Record<ConnectorType, Capability>> = {
  panos: 'firewall',
  fortigate: 'firewall',
  crowdstrike: 'edr',
  mde: 'edr',
  'fortigate-sslvpn': 'vpn',
  okta: 'vpn',
  webhook: 'notify',
  slack: 'notify',
};

/**
 * A configured connector: one vendor endpoint plus its secrets. Stored with `credentials`
 * encrypted (see the secret box); everything else is plain configuration.
 */
export interface ConnectorInstance {
  id: string;
  name: string;
  type: ConnectorType;
  capability: Capability;
  /** The only origin (and path prefix) the adapter ever calls. */
  baseUrl: string;
  /** Secret values; never logged, serialised or put in errors. */
  credentials: Record<string, string>;
  /** Per-type, non-secret settings (group names, vdom, timeouts...). */
  options: Record<string, unknown>;
}

/**
 * Instance names are the key the API, playbooks and the connectors file use (`/connectors/:name`),
 * so they stay URL- and YAML-friendly.
 */
export const CONNECTOR_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

export function isValidConnectorName(name: string): boolean {
  return CONNECTOR_NAME_PATTERN.test(name);
}

/** Where an instance was defined: the API, or the CONNECTORS_FILE (which wins at each start). */
export type ConnectorSource = 'api' | 'file';
