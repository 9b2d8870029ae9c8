import { logCreator, logLevel } from 'kafkajs';

import { MessagingLogger, MessagingLogLevel } from '../application/messaging-logger';

const KAFKAJS_LEVELS: Record<MessagingLogLevel, logLevel> = {
  nothing: logLevel.NOTHING,
  error: logLevel.ERROR,
  warn: logLevel.WARN,
  info: logLevel.INFO,
  debug: logLevel.DEBUG,
};

export function toKafkajsLogLevel(level: MessagingLogLevel): logLevel {
  return KAFKAJS_LEVELS[level];
}

/**
 * Broker answers that mean "the cluster is settling" (a coordinator or partition leader is being
 * elected or loaded, a topic was just created). kafkajs logs each at ERROR and then retries them;
 * they are only worth an error when retries run out, which kafkajs reports separately.
 */
export const SETTLING_BROKER_ERRORS: ReadonlySet<string> = new Set([
  'This server does not host this topic-partition',
  'There is no leader for this topic-partition as we are in the middle of a leadership election',
  'This server is not the leader for that topic-partition',
  "The coordinator is loading and hence can't process requests for this group",
  'The group coordinator is not available',
  'This is not the correct coordinator for this group',
  'This is not the correct controller for this cluster',
  'The preferred leader was not available',
]);

/**
 * Routes kafkajs' own log entries to our logger instead of its JSON lines on stdout. kafkajs
 * filters by level before calling, so every entry that arrives here is written; a broker answer
 * that only says the cluster is settling is written as a warning.
 */
export function kafkajsLogCreator(logger: MessagingLogger): logCreator {
  return () =>
    ({ namespace, level, log }) => {
      const { message, stack, timestamp: _timestamp, logger: _source, ...details } = log;
      const text = `kafkajs ${namespace}: ${String(message)}${describeDetails(details)}`;
      const settling = typeof details.error === 'string' && SETTLING_BROKER_ERRORS.has(details.error);
      switch (level === logLevel.ERROR && settling ? logLevel.WARN : level) {
        case logLevel.ERROR:
          logger.error(text, typeof stack === 'string' ? stack : undefined);
          break;
        case logLevel.WARN:
          logger.warn(text);
          break;
        case logLevel.INFO:
          logger.log(text);
          break;
        default:
          logger.debug?.(text);
      }
    };
}

function describeDetails(details: Record<string, unknown>): string {
  if (Object.keys(details).length === 0) return '';
  try {
    return ` ${JSON.stringify(details)}`;
  } catch {
    // Circular or BigInt-bearing details: the message alone is still worth logging.
    return '';
  }
}
