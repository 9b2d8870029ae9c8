/** A record as a consumer receives it. Bytes stay bytes: decoding is the caller's business. */
export interface InboundMessage {
  readonly topic: string;
  readonly partition: number;
  /** Kafka offsets are 64-bit; kept as a decimal string so none is rounded. */
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  /**
   * Header values decoded as UTF-8. Kafka allows a header name more than once; the last value
   * wins, as with the Java client's `lastHeader`.
   */
  readonly headers: Readonly<Record<string, string>>;
  /** Milliseconds since the epoch, as a decimal string (the record's create or append time). */
  readonly timestamp: string;
}

/** A record to produce. Without `partition`, records with the same key go to the same partition. */
export interface OutboundMessage {
  readonly key?: string | Buffer | null;
  readonly value: string | Buffer;
  readonly headers?: Readonly<Record<string, string>>;
  readonly partition?: number;
}
