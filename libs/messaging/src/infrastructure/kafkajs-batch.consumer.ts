import { setTimeout as sleep } from 'node:timers/promises';

import { Consumer, EachBatchPayload, IHeaders, KafkaMessage } from 'kafkajs';

import { type RetryPolicy, retryDelayMs } from '@rampart/resilience';

import { BatchConsumer, BatchContext, BatchHandler } from '../application/batch-consumer.port';
import { InboundMessage } from '../application/message.types';
import { MessagingLogger } from '../application/messaging-logger';
import { MessagingError, MessagingErrorCode } from '../application/messaging.error';
import { errorMessage } from './error-message';

/** How often a consumer waiting to retry a batch checks for stop and heartbeats. */
const RETRY_WAIT_SLICE_MS = 200;

export interface KafkajsBatchConsumerSettings {
  readonly topic: string;
  readonly fromBeginning: boolean;
  readonly handler: BatchHandler;
  readonly logger: MessagingLogger;
  readonly retry: RetryPolicy;
  readonly partitionsConcurrently: number;
}

/**
 * kafkajs' `eachBatch` with auto-commit and auto-resolve off: a batch is resolved and committed
 * here, only after the handler resolved, and a failing batch is retried in place, so that the
 * partition neither skips it nor crashes the consumer.
 */
export class KafkajsBatchConsumer extends BatchConsumer {
  private starting: Promise<void> | null = null;
  private stopping: Promise<void> | null = null;

  constructor(
    private readonly consumer: Consumer,
    private readonly settings: KafkajsBatchConsumerSettings,
  ) {
    super();
  }

  override start(): Promise<void> {
    if (this.starting !== null || this.stopping !== null) {
      return Promise.reject(
        new MessagingError(
          MessagingErrorCode.ConsumerAlreadyStarted,
          `the consumer of '${this.settings.topic}' was already started; create a new one`,
        ),
      );
    }
    this.starting = this.join();
    return this.starting;
  }

  override stop(): Promise<void> {
    this.stopping ??= (async () => {
      if (this.starting === null) return;
      // A stop that races a start must not disconnect a client that is still connecting.
      await this.starting.catch(() => undefined);
      await this.consumer.disconnect();
    })();
    return this.stopping;
  }

  private async join(): Promise<void> {
    const { topic, fromBeginning } = this.settings;
    try {
      await this.consumer.connect();
      await this.consumer.subscribe({ topics: [topic], fromBeginning });
      await this.consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: this.settings.partitionsConcurrently,
        eachBatch: (payload) => this.processBatch(payload),
      });
    } catch (error) {
      await this.consumer.disconnect().catch(() => undefined);
      throw error;
    }
  }

  private async processBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const last = batch.messages.at(-1);
    if (last === undefined) return;
    const messages = batch.messages.map((message) => toInboundMessage(batch.topic, batch.partition, message));
    const where = `${batch.topic}[${batch.partition}] offsets ${messages[0]?.offset}..${last.offset}`;

    // A failed heartbeat means the group moved on (rebalance, lost membership): retrying the
    // handler would be wasted, so that error goes to kafkajs, which rejoins and refetches.
    let heartbeatError: unknown = null;
    const context: BatchContext = {
      heartbeat: async () => {
        try {
          await payload.heartbeat();
        } catch (error) {
          heartbeatError ??= error;
          throw error;
        }
      },
      isRunning: () => payload.isRunning() && !payload.isStale(),
    };

    for (let failures = 1; ; failures += 1) {
      try {
        await this.settings.handler(messages, context);
        break;
      } catch (error) {
        if (heartbeatError !== null) throw heartbeatError;
        if (!context.isRunning()) {
          this.settings.logger.warn(
            `batch ${where} failed while stopping or after losing the partition; left uncommitted: ${errorMessage(error)}`,
          );
          return;
        }
        const delay = retryDelayMs(this.settings.retry, failures);
        this.settings.logger.error(
          `batch ${where} failed (attempt ${failures}), retrying in ${delay} ms: ${errorMessage(error)}`,
          error instanceof Error ? error.stack : undefined,
        );
        if (!(await this.waitBeforeRetry(delay, payload))) return;
      }
    }

    // The handler finished; committing is still right while stopping (stop waits for this), but
    // not for a partition that was taken away meanwhile.
    if (payload.isStale()) return;
    payload.resolveOffset(last.offset);
    await payload.commitOffsetsIfNecessary({
      topics: [
        {
          topic: batch.topic,
          partitions: [{ partition: batch.partition, offset: resolvedOffset(payload, last.offset) }],
        },
      ],
    });
  }

  /** Sleeps `delayMs` while heartbeating; false when the consumer stopped or lost the partition. */
  private async waitBeforeRetry(delayMs: number, payload: EachBatchPayload): Promise<boolean> {
    const until = Date.now() + delayMs;
    for (let now = Date.now(); now < until; now = Date.now()) {
      if (!payload.isRunning() || payload.isStale()) return false;
      await payload.heartbeat();
      await sleep(Math.min(RETRY_WAIT_SLICE_MS, until - now));
    }
    return payload.isRunning() && !payload.isStale();
  }
}

/**
 * The next offset to read after `lastOffset`: normally lastOffset + 1, but kafkajs resolves past a
 * trailing transaction marker when the last record is resolved, and committing that position keeps
 * the group's lag at zero on transactional topics.
 */
function resolvedOffset(payload: EachBatchPayload, lastOffset: string): string {
  const { topic, partition } = payload.batch;
  const next = BigInt(lastOffset) + 1n;
  // kafkajs types say number, but these partitions are object keys: strings.
  const resolved = payload
    .uncommittedOffsets()
    .topics.find((entry) => entry.topic === topic)
    ?.partitions.find((entry) => Number(entry.partition) === partition)?.offset;
  return resolved !== undefined && BigInt(resolved) > next ? resolved : next.toString();
}

export function toInboundMessage(topic: string, partition: number, message: KafkaMessage): InboundMessage {
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key,
    value: message.value,
    headers: toHeaders(message.headers),
    timestamp: message.timestamp,
  };
}

function toHeaders(headers: IHeaders | undefined): Record<string, string> {
  // fromEntries defines own properties, so a header named __proto__ stays a plain entry.
  return Object.fromEntries(
    Object.entries(headers ?? {}).flatMap(([name, value]) => {
      const last = Array.isArray(value) ? value.at(-1) : value;
      if (last === undefined) return [];
      return [[name, Buffer.isBuffer(last) ? last.toString('utf8') : last]];
    }),
  );
}
