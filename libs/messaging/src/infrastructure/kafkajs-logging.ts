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
 * Routes kafkajs' own log entries to our logger instead of its JSON lines on stdout. kafkajs
 * filters by level before calling, so every entry that arrives here is written.
 */
export function kafkajsLogCreator(logger: MessagingLogger): logCreator {
  return () =>
    ({ namespace, level, log }) => {
      const { message, stack, timestamp: _timestamp, logger: _source, ...details } = log;
      const text = `kafkajs ${namespace}: ${String(message)}${describeDetails(details)}`;
      switch (level) {
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
