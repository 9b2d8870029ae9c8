import { AppConfig, ConfigError } from './app-config';

describe('AppConfig', () => {
  it('applies the documented defaults when nothing is set', () => {
    const config = AppConfig.fromEnvironment({});
    expect(config.env.PORT).toBe(3000);
    expect(config.env.KAFKA_ALERTS_TOPIC).toBe('siem.alerts');
    expect(config.env.KAFKA_GROUP_ID).toBe('soar-ingestor');
    expect(config.env.SOAR_ROLES).toEqual(['api', 'ingestor', 'engine']);
    expect(config.kafkaEnabled).toBe(false);
    expect(config.dlqTopic).toBe('siem.alerts.dlq');
  });

  it('parses lists and durations', () => {
    const config = AppConfig.fromEnvironment({
      KAFKA_BROKERS: '127.0.0.1:9092, 127.0.0.1:9093',
      SOAR_ROLES: 'ingestor',
      CORRELATION_WINDOW: '1h30m',
    });
    expect(config.env.KAFKA_BROKERS).toEqual(['127.0.0.1:9092', '127.0.0.1:9093']);
    expect(config.hasRole('api')).toBe(false);
    expect(config.env.CORRELATION_WINDOW).toBe(90 * 60 * 1000);
  });

  it('names every bad variable in one error', () => {
    let error: unknown;
    try {
      AppConfig.fromEnvironment({ PORT: 'eighty', SOAR_ROLES: 'api,gateway', DATABASE_URL: 'mysql://x' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const variables = (error as ConfigError).problems.map((problem) => problem.variable).sort();
    expect(variables).toEqual(['DATABASE_URL', 'PORT', 'SOAR_ROLES']);
    expect((error as ConfigError).message).toContain('PORT');
  });

  it('bounds the heap growth between full collections at 30% unless told, 0 leaving it to V8', () => {
    expect(AppConfig.fromEnvironment({}).env.SOAR_HEAP_GROWTH_PERCENT).toBe(30);
    expect(AppConfig.fromEnvironment({ SOAR_HEAP_GROWTH_PERCENT: '0' }).env.SOAR_HEAP_GROWTH_PERCENT).toBe(0);
    for (const bad of ['-5', '301', '12.5', 'half']) {
      expect(() => AppConfig.fromEnvironment({ SOAR_HEAP_GROWTH_PERCENT: bad })).toThrow(
        /SOAR_HEAP_GROWTH_PERCENT/,
      );
    }
  });

  it('treats an empty variable as unset', () => {
    expect(AppConfig.fromEnvironment({ DATABASE_URL: '' }).env.DATABASE_URL).toBeUndefined();
  });

  it('refuses a master key that is not 32 bytes', () => {
    expect(() => AppConfig.fromEnvironment({ SOAR_MASTER_KEY: 'short' })).toThrow(/SOAR_MASTER_KEY/);
    expect(AppConfig.fromEnvironment({ SOAR_MASTER_KEY: 'a'.repeat(64) }).env.SOAR_MASTER_KEY).toBe(
      'a'.repeat(64),
    );
  });

  it('reads SLA tables per severity and names a bad entry', () => {
    const config = AppConfig.fromEnvironment({ SLA_ACKNOWLEDGE: 'critical=10m, high=2h' });
    expect(config.env.SLA_ACKNOWLEDGE).toEqual({ critical: 600_000, high: 7_200_000 });
    expect(config.env.SLA_RESOLVE.critical).toBe(86_400_000);
    expect(() => AppConfig.fromEnvironment({ SLA_CONTAIN: 'urgent=1h' })).toThrow(/SLA_CONTAIN/);
    expect(() => AppConfig.fromEnvironment({ SLA_CONTAIN: 'high=soon' })).toThrow(/SLA_CONTAIN/);
  });

  it('wants the OIDC settings together, over https except on localhost', () => {
    let error: unknown;
    try {
      AppConfig.fromEnvironment({ SOAR_OIDC_ISSUER: 'http://idp.example.com' });
    } catch (caught) {
      error = caught;
    }
    expect((error as ConfigError).problems.map((problem) => problem.variable).sort()).toEqual([
      'SOAR_OIDC_CLIENT_ID',
      'SOAR_OIDC_ISSUER',
      'SOAR_OIDC_REDIRECT_URL',
    ]);
    const local = AppConfig.fromEnvironment({
      SOAR_OIDC_ISSUER: 'http://127.0.0.1:9000',
      SOAR_OIDC_CLIENT_ID: 'rampart',
      SOAR_OIDC_REDIRECT_URL: 'http://localhost:3000/api/v1/auth/oidc/callback',
      SOAR_OIDC_ROLE_MAP: 'SOC Admins=admin, soc-analysts=analyst',
    });
    expect(local.env.SOAR_OIDC_ROLE_MAP).toEqual([
      { value: 'SOC Admins', role: 'admin' },
      { value: 'soc-analysts', role: 'analyst' },
    ]);
  });

  it('keeps a session’s idle timeout within its absolute one', () => {
    expect(() =>
      AppConfig.fromEnvironment({ SOAR_SESSION_IDLE_TIMEOUT: '2h', SOAR_SESSION_ABSOLUTE_TIMEOUT: '1h' }),
    ).toThrow(/SOAR_SESSION_IDLE_TIMEOUT/);
  });
});
