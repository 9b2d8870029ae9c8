export enum MessagingErrorCode {
  InvalidClientOptions = 'MESSAGING_INVALID_CLIENT_OPTIONS',
  InvalidTopicSpec = 'MESSAGING_INVALID_TOPIC_SPEC',
  InvalidConsumerOptions = 'MESSAGING_INVALID_CONSUMER_OPTIONS',
  ConsumerAlreadyStarted = 'MESSAGING_CONSUMER_ALREADY_STARTED',
  ProducerClosed = 'MESSAGING_PRODUCER_CLOSED',
  SendFailed = 'MESSAGING_SEND_FAILED',
  TopicSetupFailed = 'MESSAGING_TOPIC_SETUP_FAILED',
}

/**
 * The one error type the messaging library throws, so callers never depend on the Kafka client's
 * error classes. The client's own error, when there is one, is the `cause`.
 */
export class MessagingError extends Error {
  /** True when the same call may succeed later (leader moved, broker briefly unreachable...). */
  readonly retriable: boolean;

  constructor(
    readonly code: MessagingErrorCode,
    message: string,
    options?: { cause?: unknown; retriable?: boolean },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'MessagingError';
    this.retriable = options?.retriable ?? false;
  }
}
