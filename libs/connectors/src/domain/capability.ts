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
