// Types of scripts/kafka.js (plain CommonJS, run without a build) for the TypeScript that uses it:
// the test harness and the benchmark.

export interface StartKafkaOptions {
  port?: number;
  controllerPort?: number;
  dataDir?: string;
  /** Wipe the data directory first (only one this script created). */
  fresh?: boolean;
  timeoutMs?: number;
}

export interface RunningKafka {
  /** `host:port` of the PLAINTEXT listener. */
  brokers: string;
  pid: number;
  dataDir: string;
  stop(): Promise<void>;
}

export const KAFKA_VERSION: string;
export function startKafka(options?: StartKafkaOptions): Promise<RunningKafka>;
export function stopKafka(dataDir?: string): Promise<void>;
/** Resolves the broker jars from Maven Central (once; cached) and returns their directory. */
export function ensureKafkaJars(options?: { version?: string }): Promise<string>;
