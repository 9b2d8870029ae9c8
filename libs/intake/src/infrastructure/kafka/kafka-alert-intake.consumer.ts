import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';

import { parseJsonLosslessly } from '@rampart/alerts';
import { AppConfig } from '@rampart/config';
import { Metrics } from '@rampart/metrics';
import {
  type BatchConsumer,
  type InboundMessage,
  type MessageProducer,
  MessagingClient,
  type OutboundMessage,
} from '@rampart/messaging';

import { IngestAlertsUseCase } from '../../application/ingest-alerts.use-case';
import { parseIntakePayload, UnreadableLine } from '../../domain/parse-intake-payload';

/** Headers a dead-lettered record carries, next to its original key and value. */
export const DLQ_HEADERS = {
  errorCode: 'x-soar-error-code',
  error: 'x-soar-error',
  topic: 'x-soar-original-topic',
  partition: 'x-soar-original-partition',
  offset: 'x-soar-original-offset',
  item: 'x-soar-item-index',
  failedAt: 'x-soar-failed-at',
} as const;

/** Beyond this, batches wait in memory for the group commit's bound (5,000 alerts) anyway. */
const MAX_PARTITIONS_CONCURRENTLY = 12;

interface Candidate {
  message: InboundMessage;
  itemIndex: number;
  /** How many alerts the record held. */
  itemCount: number;
  item: unknown;
  /** The item's own bytes as text: the record itself, or its element or line. */
  original: string;
}

/**
 * The Kafka side of intake: one consumer group on the alerts topic. Each batch is normalized,
 * stored and correlated in one transaction, records that can't be read go to the DLQ, and only
 * then are offsets committed, so a crash at any point redelivers rather than loses, and
 * redelivery is a no-op thanks to alert identities.
 */
@Injectable()
export class KafkaAlertIntakeConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('KafkaAlertIntake');
  private consumer: BatchConsumer | null = null;
  private producer: MessageProducer | null = null;

  constructor(
    private readonly config: AppConfig,
    private readonly messaging: MessagingClient,
    private readonly ingest: IngestAlertsUseCase,
    private readonly metrics: Metrics,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const {
      KAFKA_ALERTS_TOPIC: topic,
      KAFKA_TOPIC_PARTITIONS: partitions,
      KAFKA_GROUP_ID: groupId,
    } = this.config.env;
    await this.messaging.ensureTopics([
      { topic, partitions },
      { topic: this.config.dlqTopic, partitions },
    ]);
    this.producer = this.messaging.createProducer();
    this.consumer = this.messaging.createBatchConsumer({
      groupId,
      topic,
      fromBeginning: true,
      // Every partition's batch is handled at once: parsing and normalizing overlap, and the
      // group commit joins the batches that arrive while a transaction runs into the next one (one
      // transaction and one correlation lock for several partitions), so more partitions in
      // flight make bigger transactions, not more of them.
      partitionsConcurrently: Math.min(partitions, MAX_PARTITIONS_CONCURRENTLY),
      handler: (messages) => this.handleBatch(messages),
      logger: this.logger,
    });
    await this.consumer.start();
    this.logger.log(
      `consuming ${topic} as group ${groupId}; unreadable records go to ${this.config.dlqTopic}`,
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
    await this.producer?.disconnect();
  }

  async handleBatch(messages: InboundMessage[]): Promise<void> {
    const candidates: Candidate[] = [];
    const deadLetters: OutboundMessage[] = [];
    for (const message of messages) {
      const parsed = message.value
        ? parseIntakePayload(message.value.toString('utf8'), parseJsonLosslessly)
        : ({ ok: false, code: 'empty_payload', message: 'the record has no value' } as const);
      if (!parsed.ok) {
        deadLetters.push(this.deadLetter(message, parsed.code, parsed.message));
        continue;
      }
      const itemCount = parsed.items.length;
      parsed.items.forEach((item, itemIndex) =>
        candidates.push({ message, itemIndex, itemCount, item, original: parsed.originals[itemIndex] ?? '' }),
      );
    }

    const result = await this.ingest.execute({
      items: candidates.map((candidate) => candidate.item),
      originals: candidates.map((candidate) => candidate.original),
      intake: 'kafka',
    });
    for (const item of result.items) {
      if (item.status !== 'rejected') continue;
      const candidate = candidates[item.index] as Candidate;
      deadLetters.push(this.deadLetter(candidate.message, item.code, item.reason, candidate));
    }
    if (deadLetters.length > 0) {
      await (this.producer as MessageProducer).send(this.config.dlqTopic, deadLetters);
      for (const record of deadLetters) {
        this.metrics.deadLettered.inc({ code: record.headers?.[DLQ_HEADERS.errorCode] ?? 'unknown' });
      }
      this.logger.warn(`${deadLetters.length} unreadable record(s) sent to ${this.config.dlqTopic}`);
    }
  }

  private deadLetter(
    message: InboundMessage,
    code: string,
    reason: string,
    candidate?: Candidate,
  ): OutboundMessage {
    const itemIndex = candidate && candidate.itemCount > 1 ? candidate.itemIndex : undefined;
    return {
      key: message.key,
      value: itemIndex === undefined ? (message.value ?? Buffer.alloc(0)) : itemBytes(candidate as Candidate),
      headers: {
        [DLQ_HEADERS.errorCode]: code,
        [DLQ_HEADERS.error]: reason.slice(0, 1000),
        [DLQ_HEADERS.topic]: message.topic,
        [DLQ_HEADERS.partition]: String(message.partition),
        [DLQ_HEADERS.offset]: message.offset,
        [DLQ_HEADERS.failedAt]: new Date().toISOString(),
        ...(itemIndex === undefined ? {} : { [DLQ_HEADERS.item]: String(itemIndex) }),
      },
    };
  }
}

/**
 * A record holding several alerts dead-letters only the bad one, so the DLQ can be replayed as is;
 * should that alert not serialise (nested too deep), the whole record goes, with the item header.
 */
function itemBytes(candidate: Candidate): string | Buffer {
  if (candidate.original !== '') return candidate.original;
  if (typeof candidate.item === 'string') return candidate.item;
  if (candidate.item instanceof UnreadableLine) return candidate.item.text;
  try {
    return JSON.stringify(candidate.item);
  } catch {
    return candidate.message.value ?? Buffer.alloc(0);
  }
}
