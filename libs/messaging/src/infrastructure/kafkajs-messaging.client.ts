import { Logger } from '@nestjs/common';
import { Kafka, Partitioners } from 'kafkajs';

import { type RetryPolicy, retryPolicyProblems } from '@rampart/resilience';

import {
  BatchConsumer,
  BatchConsumerOptions,
  DEFAULT_CONSUMER_RETRY,
} from '../application/batch-consumer.port';
import { MessageProducer } from '../application/message-producer.port';
import { MessagingClient } from '../application/messaging-client.port';
import { MessagingLogger, MessagingLogLevel } from '../application/messaging-logger';
import { MessagingError, MessagingErrorCode } from '../application/messaging.error';
import { TopicSpec, topicSpecProblems } from '../domain/topic-spec';
import { errorMessage } from './error-message';
import { KafkajsBatchConsumer } from './kafkajs-batch.consumer';
import { kafkajsLogCreator, toKafkajsLogLevel } from './kafkajs-logging';
import { KafkajsMessageProducer } from './kafkajs-message.producer';

export interface KafkajsMessagingClientOptions {
  /** Bootstrap brokers as `host:port`. */
  readonly brokers: readonly string[];
  /** Shown in the brokers' logs and quotas. Defaults to `rampart`. */
  readonly clientId?: string;
  /** Receives kafkajs' own logs and the consumers' handler failures. Defaults to Nest's `Logger`. */
  readonly logger?: MessagingLogger;
  /** How much of kafkajs' own logging is passed on. Defaults to `warn`. */
  readonly logLevel?: MessagingLogLevel;
  readonly connectionTimeoutMs?: number;
  readonly requestTimeoutMs?: number;
}

/** `MessagingClient` on kafkajs 2.x. */
export class KafkajsMessagingClient extends MessagingClient {
  private readonly kafka: Kafka;
  private readonly logger: MessagingLogger;

  constructor(private readonly options: KafkajsMessagingClientOptions) {
    super();
    if (options.brokers.length === 0) {
      throw new MessagingError(MessagingErrorCode.InvalidClientOptions, 'at least one broker is needed');
    }
    this.logger = options.logger ?? new Logger('Messaging');
    this.kafka = this.kafkaLoggingTo(this.logger);
  }

  override async ensureTopics(specs: readonly TopicSpec[]): Promise<void> {
    const problems = topicSpecProblems(specs);
    if (problems.length > 0) {
      throw new MessagingError(MessagingErrorCode.InvalidTopicSpec, `invalid topics: ${problems.join('; ')}`);
    }
    if (specs.length === 0) return;
    const wanted = new Map(specs.map((spec) => [spec.topic, spec.partitions]));
    const admin = this.kafka.admin();
    try {
      await admin.connect();
      const existing = new Set(await admin.listTopics());
      const missing = [...wanted].filter(([topic]) => !existing.has(topic));
      if (missing.length > 0) {
        // Another replica may create the same topics at the same moment; kafkajs treats
        // TOPIC_ALREADY_EXISTS for all of them as success.
        await admin.createTopics({
          waitForLeaders: true,
          topics: missing.map(([topic, partitions]) => ({ topic, numPartitions: partitions })),
        });
        this.logger.log(
          `created topics ${missing.map(([topic, partitions]) => `${topic} (${partitions})`).join(', ')}`,
        );
      }
      const present = [...wanted.keys()].filter((topic) => existing.has(topic));
      if (present.length > 0) {
        const { topics } = await admin.fetchTopicMetadata({ topics: present });
        for (const { name, partitions } of topics) {
          const expected = wanted.get(name);
          if (expected !== undefined && partitions.length !== expected) {
            this.logger.warn(
              `topic ${name} has ${partitions.length} partition(s), not the ${expected} asked for; left as it is`,
            );
          }
        }
      }
    } catch (error) {
      throw new MessagingError(
        MessagingErrorCode.TopicSetupFailed,
        `could not ensure topics ${[...wanted.keys()].join(', ')}: ${errorMessage(error)}`,
        { cause: error },
      );
    } finally {
      await admin.disconnect();
    }
  }

  override createProducer(): MessageProducer {
    return new KafkajsMessageProducer(
      this.kafka.producer({
        idempotent: true,
        allowAutoTopicCreation: false,
        // The Java client's murmur2 partitioning, so that keys land where other clients put them.
        createPartitioner: Partitioners.DefaultPartitioner,
      }),
    );
  }

  override createBatchConsumer(options: BatchConsumerOptions): BatchConsumer {
    const retry: RetryPolicy = { ...DEFAULT_CONSUMER_RETRY, ...options.retry };
    const problems = [
      ...(options.groupId.trim() === '' ? ['groupId must not be empty'] : []),
      ...topicSpecProblems([{ topic: options.topic, partitions: 1 }]),
      ...positiveInteger('maxBytes', options.maxBytes),
      ...positiveInteger('sessionTimeout', options.sessionTimeout),
      ...positiveInteger('partitionsConcurrently', options.partitionsConcurrently),
      ...retryPolicyProblems(retry).map((problem) => `retry: ${problem}`),
    ];
    if (problems.length > 0) {
      throw new MessagingError(
        MessagingErrorCode.InvalidConsumerOptions,
        `invalid consumer options for group '${options.groupId}': ${problems.join('; ')}`,
      );
    }
    const logger = options.logger ?? this.logger;
    const kafka = options.logger === undefined ? this.kafka : this.kafkaLoggingTo(options.logger);
    const consumer = kafka.consumer({
      groupId: options.groupId,
      allowAutoTopicCreation: false,
      // stop() waits for the fetch in flight, which an idle partition holds for this long (kafkajs'
      // default is 5 s; the Java client's is 0.5 s). One idle fetch per second costs nothing.
      maxWaitTimeInMs: 1000,
      ...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes }),
      ...(options.sessionTimeout === undefined
        ? {}
        : {
            sessionTimeout: options.sessionTimeout,
            // kafkajs' default 3 s heartbeat would not fit inside a short session timeout.
            heartbeatInterval: Math.min(3000, Math.floor(options.sessionTimeout / 3)),
          }),
    });
    return new KafkajsBatchConsumer(consumer, {
      topic: options.topic,
      fromBeginning: options.fromBeginning ?? false,
      handler: options.handler,
      logger,
      retry,
      partitionsConcurrently: options.partitionsConcurrently ?? 1,
    });
  }

  private kafkaLoggingTo(logger: MessagingLogger): Kafka {
    return new Kafka({
      clientId: this.options.clientId ?? 'rampart',
      brokers: [...this.options.brokers],
      logLevel: toKafkajsLogLevel(this.options.logLevel ?? 'warn'),
      logCreator: kafkajsLogCreator(logger),
      ...(this.options.connectionTimeoutMs === undefined
        ? {}
        : { connectionTimeout: this.options.connectionTimeoutMs }),
      ...(this.options.requestTimeoutMs === undefined
        ? {}
        : { requestTimeout: this.options.requestTimeoutMs }),
    });
  }
}

function positiveInteger(name: string, value: number | undefined): string[] {
  return value === undefined || (Number.isInteger(value) && value > 0)
    ? []
    : [`${name} must be a positive integer, got ${value}`];
}
