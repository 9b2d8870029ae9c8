// Public API of the messaging library: our own small interface around the Kafka client, so that
// kafkajs (in maintenance mode) can be replaced without touching its users.
export { BatchConsumer } from './application/batch-consumer.port';
export type { BatchConsumerOptions, BatchContext, BatchHandler } from './application/batch-consumer.port';
export { MessageProducer } from './application/message-producer.port';
export type { InboundMessage, OutboundMessage } from './application/message.types';
export { MessagingClient } from './application/messaging-client.port';
export type { MessagingLogger, MessagingLogLevel } from './application/messaging-logger';
export { MessagingError, MessagingErrorCode } from './application/messaging.error';
export { DEFAULT_CONSUMER_RETRY } from './application/batch-consumer.port';
export type { TopicSpec } from './domain/topic-spec';
export { KafkajsMessagingClient } from './infrastructure/kafkajs-messaging.client';
export type { KafkajsMessagingClientOptions } from './infrastructure/kafkajs-messaging.client';
export { MessagingModule } from './messaging.module';
