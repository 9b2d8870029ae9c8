import { logLevel } from 'kafkajs';

import { MessagingLogger } from '../application/messaging-logger';
import { kafkajsLogCreator, SETTLING_BROKER_ERRORS } from './kafkajs-logging';

// kafkajs' table of broker error codes (not part of its typed API).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { errorCodes } = require('kafkajs/src/protocol/error') as {
  errorCodes: Array<{ type: string; message: string; retriable: boolean }>;
};

function capture(): { logger: MessagingLogger; lines: Array<[string, string]> } {
  const lines: Array<[string, string]> = [];
  return {
    lines,
    logger: {
      log: (message) => lines.push(['log', message]),
      warn: (message) => lines.push(['warn', message]),
      error: (message) => lines.push(['error', message]),
      debug: (message) => lines.push(['debug', message]),
    },
  };
}

function entry(level: logLevel, error: string) {
  return {
    namespace: 'Connection',
    level,
    label: 'ERROR',
    log: {
      timestamp: '2026-11-26T10:07:57.000Z',
      logger: 'kafkajs',
      message: 'Response GroupCoordinator(key: 10, version: 2)',
      broker: '127.0.0.1:19092',
      error,
    },
  };
}

describe('kafkajs log routing', () => {
  it('writes a broker answer that only means the cluster is settling as a warning', () => {
    const { logger, lines } = capture();
    kafkajsLogCreator(logger)(logLevel.ERROR)(
      entry(logLevel.ERROR, 'The group coordinator is not available'),
    );
    expect(lines).toEqual([
      [
        'warn',
        expect.stringContaining(
          'kafkajs Connection: Response GroupCoordinator(key: 10, version: 2) {"broker":"127.0.0.1:19092","error":"The group coordinator is not available"}',
        ),
      ],
    ]);
  });

  it('keeps other broker errors at error level', () => {
    const { logger, lines } = capture();
    kafkajsLogCreator(logger)(logLevel.ERROR)(
      entry(logLevel.ERROR, 'Disk error when trying to access log file on the disk'),
    );
    expect(lines.map(([level]) => level)).toEqual(['error']);
  });

  it('lists only messages kafkajs itself marks retriable, spelled as kafkajs spells them', () => {
    const retriable = new Set(errorCodes.filter((code) => code.retriable).map((code) => code.message));
    for (const message of SETTLING_BROKER_ERRORS) expect(retriable).toContain(message);
  });
});
