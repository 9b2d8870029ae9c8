import { TopicSpec } from '../domain/topic-spec';
import { BatchConsumer, BatchConsumerOptions } from './batch-consumer.port';
import { MessageProducer } from './message-producer.port';

/** The entry point to the message broker. Bound in Nest modules as a DI token. */
export abstract class MessagingClient {
  /**
   * Creates the topics that do not exist yet and waits until their partitions have leaders.
   * Existing topics are left as they are, even when their partition count differs (that is logged).
   */
  abstract ensureTopics(specs: readonly TopicSpec[]): Promise<void>;

  abstract createProducer(): MessageProducer;

  abstract createBatchConsumer(options: BatchConsumerOptions): BatchConsumer;
}
