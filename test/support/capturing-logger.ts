import { inspect } from 'node:util';

import type { LoggerService } from '@nestjs/common';

/** A Nest logger that keeps every line, at every level, for assertions on what was logged. */
export class CapturingLogger implements LoggerService {
  readonly lines: string[] = [];

  log(message: unknown, ...optional: unknown[]): void {
    this.capture('log', message, optional);
  }

  error(message: unknown, ...optional: unknown[]): void {
    this.capture('error', message, optional);
  }

  warn(message: unknown, ...optional: unknown[]): void {
    this.capture('warn', message, optional);
  }

  debug(message: unknown, ...optional: unknown[]): void {
    this.capture('debug', message, optional);
  }

  verbose(message: unknown, ...optional: unknown[]): void {
    this.capture('verbose', message, optional);
  }

  fatal(message: unknown, ...optional: unknown[]): void {
    this.capture('fatal', message, optional);
  }

  text(): string {
    return this.lines.join('\n');
  }

  private capture(level: string, message: unknown, optional: unknown[]): void {
    // Nest passes the context last (and an undefined stack for errors without one).
    const parts = [message, ...optional]
      .filter((part) => part !== undefined)
      .map((part) => (typeof part === 'string' ? part : inspect(part, { depth: 10 })));
    this.lines.push(`${level} ${parts.join(' ')}`);
  }
}
