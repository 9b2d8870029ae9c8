import { OutboundMessage } from './message.types';

/** Sends records to Kafka. Bound in Nest modules as a DI token. */
export abstract class MessageProducer {
  /**
   * Sends `messages` to `topic` and resolves once every in-sync replica has them. Connects on first
   * use; sends of one producer go out one after the other. Rejects with a `MessagingError`
   * (`MESSAGING_SEND_FAILED`) when the records were not acknowledged: they may or may not have been
   * written, so a caller that sends them again must tolerate duplicates.
   */
  abstract send(topic: string, messages: readonly OutboundMessage[]): Promise<void>;

  /** Waits for sends in flight, then closes the connections. Safe to call twice. */
  abstract disconnect(): Promise<void>;
}
