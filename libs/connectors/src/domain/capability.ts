export const CAPABILITIES = ['firewall', 'edr', 'vpn', 'notify'] as const;
/** The kind of control a connector gives a playbook. */
export type Capability = (typeof CAPABILITIES)[number];

/** What every connector exposes besides its capability's operations. */
export interface ConnectorIdentity {
  /** Vendor adapter type, e.g. `panos`. */
  readonly type: string;
  readonly capability: Capability;
  /** Instance name as configured; never a secret. */
  readonly name: string;
}

/**
 * Base of every capability class. Adapters keep credentials in private fields; serialising or
 * inspecting a connector shows only its identity, so a stray `JSON.stringify(connector)` or
 * `console.log(connector)` cannot leak a secret.
 */
export abstract class ConnectorBase implements ConnectorIdentity {
  abstract readonly type: string;
  abstract readonly name: string;
  abstract readonly capability: Capability;

  /**
   * Proves, with read-only calls, that the vendor answers at the base URL, accepts the credentials
   * and has what the instance's options name (address group, quarantine group...). Resolves to a
   * sentence saying what was checked, or null when the vendor can only be checked by acting
   * (sending a message); fails with the ConnectorError an action would get.
   */
  abstract checkConnection(): Promise<string | null>;

  toJSON(): Record<string, string> {
    return { type: this.type, capability: this.capability, name: this.name };
  }

  toString(): string {
    return `${this.type} ${this.capability} connector "${this.name}"`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}
