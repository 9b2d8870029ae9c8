import { type RetryPolicy, retryPolicy } from '@rampart/resilience';
import { InboundMessage } from './message.types';
import { MessagingLogger } from './messaging-logger';

export interface BatchContext {
  /** Tells the group this member is alive; call it inside long handlers. */
  heartbeat(): Promise<void>;
  /**
   * False once the consumer is stopping or has lost the partition. A handler that gives up early
   * must throw: resolving marks the whole batch as processed.
   */
  isRunning(): boolean;
}

/**
 * Processes one batch: records of one partition, in offset order. Resolving commits the batch;
 * throwing makes the consumer hand the same records again after a backoff. Records can still be
 * delivered twice (a crash or rebalance before the commit), so processing must be idempotent.
 */
export type BatchHandler = (messages: InboundMessage[], context: BatchContext) => Promise<void>;

export interface BatchConsumerOptions {
  /** Consumers with the same group share the topic's partitions and its committed offsets. */
  readonly groupId: string;
  readonly topic: string;
  /** Where a group with no committed offset starts: the oldest record (true) or new ones only. */
  readonly fromBeginning?: boolean;
  readonly handler: BatchHandler;
  /** Upper bound on the bytes fetched in one request, across partitions. */
  readonly maxBytes?: number;
  /** How long the group waits for a silent member before reassigning its partitions, in ms. */
  readonly sessionTimeout?: number;
  /**
   * How many of the member's partitions are handled at once (default 1). Each partition's batches
   * still run one after another, in offset order.
   */
  readonly partitionsConcurrently?: number;
  /** Defaults to the client's logger. */
  readonly logger?: MessagingLogger;
  /**
   * Delays between attempts at a failing batch (DEFAULT_CONSUMER_RETRY: 500 ms doubling up to
   * 30 s, forever: a partition never skips a batch it could not store).
   */
  readonly retry?: Partial<RetryPolicy>;
}

export const DEFAULT_CONSUMER_RETRY: RetryPolicy = retryPolicy({
  maxRetries: Infinity,
  initialDelayMs: 500,
  maxDelayMs: 30_000,
  multiplier: 2,
  jitter: 'none',
});

/**
 * A member of a consumer group that hands records to a `BatchHandler` batch by batch and commits
 * each batch only after the handler resolved.
 */
export abstract class BatchConsumer {
  /** Joins the group; resolves once the member has its partitions and is fetching. */
  abstract start(): Promise<void>;

  /**
   * Lets the batch in flight finish and commits it, then leaves the group, so that another member
   * takes over at once. A batch whose handler is failing is left uncommitted for the next owner.
   * Safe to call twice, or before `start`.
   */
  abstract stop(): Promise<void>;
}
