/**
 * Where the messaging library writes. Shaped like NestJS's `Logger`, so a `new Logger('Kafka')`
 * can be passed as it is, without the library depending on Nest.
 */
export interface MessagingLogger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string, stack?: string): void;
  debug?(message: string): void;
}

/** How much of the Kafka client's own logging reaches the logger. */
export type MessagingLogLevel = 'nothing' | 'error' | 'warn' | 'info' | 'debug';
