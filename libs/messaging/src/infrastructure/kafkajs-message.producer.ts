import { Message, Producer } from 'kafkajs';

import { MessageProducer } from '../application/message-producer.port';
import { OutboundMessage } from '../application/message.types';
import { MessagingError, MessagingErrorCode } from '../application/messaging.error';
import { errorMessage } from './error-message';

export class KafkajsMessageProducer extends MessageProducer {
  private connecting: Promise<void> | null = null;
  private closing: Promise<void> | null = null;
  // kafkajs' idempotent producer has lost or rejected records when sends overlap
  // (tulios/kafkajs#1005, #598); one send at a time per producer avoids that for a small cost.
  private previousSend: Promise<unknown> = Promise.resolve();

  constructor(private readonly producer: Producer) {
    super();
  }

  override async send(topic: string, messages: readonly OutboundMessage[]): Promise<void> {
    if (this.closing) {
      throw new MessagingError(
        MessagingErrorCode.ProducerClosed,
        `cannot send to '${topic}': the producer is closed`,
      );
    }
    if (messages.length === 0) return;
    const records = messages.map(toKafkajsMessage);
    const sending = this.previousSend.then(async () => {
      await this.connect();
      // acks -1 (all in-sync replicas) is what the idempotent producer requires anyway.
      await this.producer.send({ topic, acks: -1, messages: records });
    });
    this.previousSend = sending.catch(() => undefined);
    try {
      await sending;
    } catch (error) {
      throw new MessagingError(
        MessagingErrorCode.SendFailed,
        `sending ${messages.length} message(s) to '${topic}' failed: ${errorMessage(error)}`,
        { cause: error, retriable: isRetriable(error) },
      );
    }
  }

  override disconnect(): Promise<void> {
    this.closing ??= (async () => {
      await this.previousSend;
      if (this.connecting === null) return;
      await this.connecting.catch(() => undefined);
      await this.producer.disconnect();
    })();
    return this.closing;
  }

  private connect(): Promise<void> {
    // Concurrent first sends share one connection attempt; a failed attempt is not cached.
    this.connecting ??= this.producer.connect().catch((error: unknown) => {
      this.connecting = null;
      throw error;
    });
    return this.connecting;
  }
}

function toKafkajsMessage(message: OutboundMessage): Message {
  return {
    key: message.key ?? null,
    value: message.value,
    ...(message.headers === undefined ? {} : { headers: { ...message.headers } }),
    ...(message.partition === undefined ? {} : { partition: message.partition }),
  };
}

function isRetriable(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { retriable?: unknown }).retriable === true;
}
