import { ActionOutcome, OperationOptions } from './action-outcome';
import { Capability, ConnectorBase } from './capability';

export interface NotifyMessage {
  /**
   * Handlebars template we own (from the playbook or the instance options); never taken from
   * alert data. Omitted = the instance's default template.
   */
  template?: string;
  /** Template data, e.g. the incident and its alerts. Only ever data, never template source. */
  data: Record<string, unknown>;
}

/** Outbound notification. Not idempotent by nature: the key is forwarded so receivers can dedupe. */
export abstract class NotifyConnector extends ConnectorBase {
  override readonly capability: Capability = 'notify';

  abstract send(message: NotifyMessage, options?: OperationOptions): Promise<ActionOutcome>;

  /** An incoming webhook has nothing to read: only sending a message would check it. */
  override checkConnection(): Promise<string | null> {
    return Promise.resolve(null);
  }
}
