import { Environment, environmentSchema, validatedEnvironmentSchema } from './config.schema';

export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(
      `Invalid configuration:\n${problems.map((problem) => `  ${problem.variable}: ${problem.message}`).join('\n')}`,
    );
    this.name = 'ConfigError';
  }
}

/**
 * The validated configuration, read once at boot. Injected everywhere instead of `process.env`.
 */
export class AppConfig {
  private constructor(
    readonly env: Environment,
    private readonly source: Readonly<Record<string, string | undefined>>,
  ) {}

  static fromEnvironment(source: Record<string, string | undefined> = process.env): AppConfig {
    const input: Record<string, string> = {};
    for (const key of Object.keys(environmentSchema.shape)) {
      const value = source[key];
      // An empty variable means "unset": shells and compose files often export KEY= .
      if (value !== undefined && value !== '') input[key] = value;
    }
    const parsed = validatedEnvironmentSchema.safeParse(input);
    if (!parsed.success) {
      throw new ConfigError(
        parsed.error.issues.map((issue) => ({
          variable: String(issue.path[0] ?? '(environment)'),
          message: issue.message,
        })),
      );
    }
    return new AppConfig(parsed.data, { ...source });
  }

  /**
   * The environment as it was at boot, for values that configuration files reference by name
   * (e.g. `${FORTI_TOKEN}` in CONNECTORS_FILE), so secrets stay out of the files.
   */
  get referencedVariables(): Readonly<Record<string, string | undefined>> {
    return this.source;
  }

  get kafkaEnabled(): boolean {
    return this.env.KAFKA_BROKERS.length > 0;
  }

  get dlqTopic(): string {
    return `${this.env.KAFKA_ALERTS_TOPIC}.dlq`;
  }

  hasRole(role: Environment['SOAR_ROLES'][number]): boolean {
    return this.env.SOAR_ROLES.includes(role);
  }
}
