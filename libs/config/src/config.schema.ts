import { z } from 'zod';

import { EgressPolicy } from '@rampart/egress';

import { parseDuration } from './duration';

export const SOAR_ROLES = ['api', 'ingestor', 'engine'] as const;
export type SoarRole = (typeof SOAR_ROLES)[number];

const commaList = (value: string): string[] =>
  value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0);

const port = z.coerce.number().int().min(0).max(65535);

const duration = z.string().transform((value, ctx) => {
  const ms = parseDuration(value);
  if (ms === null || ms <= 0) {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a duration like 90s, 30m, 2h or 1d` });
    return z.NEVER;
  }
  return ms;
});

/** A duration, or `0s` / `0` for none (e.g. no rate limit). */
const durationOrZero = z.string().transform((value, ctx) => {
  if (/^0+s?$/.test(value.trim())) return 0;
  const ms = parseDuration(value);
  if (ms === null) {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a duration like 5s, 1m (or 0s for none)` });
    return z.NEVER;
  }
  return ms;
});

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' });

/** Plain http only to this machine: anything else carries credentials and must be https. */
const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];
export function isLoopbackUrl(value: string): boolean {
  try {
    return LOOPBACK_HOSTS.includes(new URL(value).hostname);
  } catch {
    return false;
  }
}

/** `value=role` pairs, comma-separated; which roles exist is the auth library's to check. */
const roleMap = z
  .string()
  .transform(commaList)
  .pipe(
    z.array(
      z
        .string()
        .regex(/^[^=]+=[a-z_]+$/, 'must be a comma list of claim-value=role')
        .transform((pair) => {
          const at = pair.lastIndexOf('=');
          return { value: pair.slice(0, at).trim(), role: pair.slice(at + 1).trim() };
        }),
    ),
  );

const key32 = z
  .string()
  .refine(
    (value) => /^[0-9a-fA-F]{64}$/.test(value) || Buffer.from(value, 'base64').length === 32,
    'must be 32 bytes as 64 hex characters or base64',
  );

export const SLA_SEVERITIES = ['informational', 'low', 'medium', 'high', 'critical'] as const;
export type SlaSeverity = (typeof SLA_SEVERITIES)[number];

/** `critical=15m,high=1h,...`: a duration per severity; severities left out have no SLA. */
const slaTable = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value, ctx) => {
      const table: Partial<Record<SlaSeverity, number>> = {};
      for (const part of commaList(value)) {
        const [name, text] = part.split('=').map((side) => side.trim());
        const ms = text === undefined ? null : parseDuration(text);
        if (!SLA_SEVERITIES.includes(name as SlaSeverity) || ms === null || ms <= 0) {
          ctx.addIssue({
            code: 'custom',
            message: `"${part}" is not severity=duration (severities: ${SLA_SEVERITIES.join(', ')}; durations like 15m, 4h, 2d)`,
          });
          return z.NEVER;
        }
        table[name as SlaSeverity] = ms;
      }
      return table;
    });

/** Every environment variable Rampart reads, validated once at boot. */
export const environmentSchema = z.object({
  // 0 picks a free port (tests).
  PORT: port.default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  SOAR_DATA_DIR: z.string().min(1).default('.data'),
  EMBEDDED_PG_PORT: port.default(54329),
  KAFKA_BROKERS: z
    .string()
    .optional()
    .transform((value) => (value ? commaList(value) : []))
    .refine(
      (brokers) => brokers.every((broker) => /^[^\s:]+:\d+$/.test(broker)),
      'must be host:port[,host:port...]',
    ),
  KAFKA_ALERTS_TOPIC: z.string().min(1).default('siem.alerts'),
  KAFKA_GROUP_ID: z.string().min(1).default('soar-ingestor'),
  KAFKA_TOPIC_PARTITIONS: z.coerce.number().int().min(1).max(1000).default(6),
  KAFKA_CLIENT_ID: z.string().min(1).default('rampart'),
  SOAR_ADMIN_API_KEY: z.string().min(24, 'must be at least 24 characters').optional(),
  SOAR_MASTER_KEY: key32.optional(),
  SOAR_AUDIT_SIGNING_KEY: key32.optional(),
  AUDIT_CHECKPOINT_INTERVAL: duration.default(60 * 60 * 1000),
  REPORT_TEMPLATES_DIR: z.string().min(1).optional(),
  REPORT_EXPORT_DIR: z.string().min(1).optional(),
  REPORT_SCHEDULES_FILE: z.string().min(1).optional(),
  REPORT_SCHEDULER_INTERVAL: duration.default(30_000),
  SLA_ACKNOWLEDGE: slaTable('critical=15m,high=1h,medium=4h,low=1d,informational=3d'),
  SLA_CONTAIN: slaTable('critical=1h,high=4h,medium=1d,low=3d'),
  SLA_RESOLVE: slaTable('critical=1d,high=3d,medium=7d,low=14d,informational=30d'),
  SOAR_ADMIN_PASSWORD: z
    .string()
    .min(12, 'must be at least 12 characters')
    .max(256, 'must be at most 256 characters')
    .optional(),
  SOAR_SESSION_IDLE_TIMEOUT: duration.default(30 * 60 * 1000),
  SOAR_SESSION_ABSOLUTE_TIMEOUT: duration.default(12 * 60 * 60 * 1000),
  SOAR_LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(1000).default(5),
  SOAR_LOGIN_MAX_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).max(100_000).default(20),
  SOAR_LOGIN_LOCKOUT: duration.default(15 * 60 * 1000),
  // Express's `trust proxy`: hops to trust, or addresses/CIDRs/loopback/linklocal/uniquelocal.
  SOAR_TRUST_PROXY: z
    .string()
    .regex(
      /^[0-9A-Za-z.:/,\s]+$/,
      'a hop count or a comma list of addresses, CIDRs, loopback, linklocal, uniquelocal',
    )
    .transform((value) => (/^\d+$/.test(value.trim()) ? Number(value) : commaList(value)))
    .optional(),
  SOAR_OIDC_ISSUER: httpUrl.optional(),
  SOAR_OIDC_CLIENT_ID: z.string().min(1).optional(),
  SOAR_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  SOAR_OIDC_REDIRECT_URL: httpUrl.optional(),
  SOAR_OIDC_SCOPES: z.string().min(1).default('openid profile email'),
  SOAR_OIDC_USERNAME_CLAIM: z.string().min(1).default('preferred_username'),
  SOAR_OIDC_ROLE_CLAIM: z.string().min(1).default('groups'),
  SOAR_OIDC_ROLE_MAP: roleMap.default([]),
  SOAR_OIDC_DEFAULT_ROLE: z.string().min(1).optional(),
  SOAR_OIDC_PROVISIONING: z.enum(['auto', 'existing']).default('auto'),
  PLAYBOOKS_DIR: z.string().min(1).default('./playbooks'),
  // Playbook runs one engine process advances at once.
  ENGINE_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
  CONNECTORS_FILE: z.string().min(1).optional(),
  CORRELATION_RULES_DIR: z.string().min(1).default('./rules/correlation'),
  CORRELATION_WINDOW: duration.default(30 * 60 * 1000),
  ACTION_SWEEP_INTERVAL: duration.default(15_000),
  // How long one containment vendor call may hold its action (with retries and Retry-After); after
  // a crash, the reconciliation asks the vendor once this has passed.
  ACTION_CALL_LEASE: duration.default(5 * 60_000),
  // Blast-radius limits of containment (libs/containment parses and checks them at start).
  GUARDRAIL_LIMITS: z
    .string()
    .min(1)
    .default(
      'isolate_host=10/1h,isolate_host=5/incident,quarantine_user=20/1h,disconnect_sessions=50/1h,block_ip=500/1h',
    ),
  PROTECTED_ASSETS_FILE: z.string().min(1).optional(),
  // How often the vendor may be asked about one action through GET /actions/:id/vendor-state.
  ACTION_VENDOR_STATE_INTERVAL: durationOrZero.default(5_000),
  CORRELATION_ENTITY_TYPES: z
    .string()
    .default('host,user,ip,file_hash')
    .transform(commaList)
    .pipe(z.array(z.enum(['host', 'ip', 'user', 'file_hash', 'domain', 'url', 'process'])).min(1)),
  SOAR_ROLES: z
    .string()
    .default(SOAR_ROLES.join(','))
    .transform(commaList)
    .pipe(z.array(z.enum(SOAR_ROLES)).min(1)),
  SOAR_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(1024 * 1024),
  SOAR_EGRESS_ALLOW: z
    .string()
    .optional()
    .transform((value) => (value ? commaList(value) : []))
    .superRefine((entries, ctx) => {
      try {
        EgressPolicy.fromAllowList(entries);
      } catch (error) {
        ctx.addIssue({
          code: 'custom',
          message: `${(error as Error).message} (comma list of CIDRs and host names)`,
        });
      }
    }),
  // How far V8 lets the heap grow past what survived its last full collection, in percent; 0
  // leaves V8's own policy (up to 4 times under a high allocation rate). See docs/scaling.md.
  SOAR_HEAP_GROWTH_PERCENT: z.coerce.number().int().min(0).max(300).default(30),
  SOAR_HMAC_TOLERANCE_SECONDS: z.coerce.number().int().min(1).max(3600).default(300),
  LOG_LEVEL: z.enum(['error', 'warn', 'log', 'debug', 'verbose']).default('log'),
  LOG_FORMAT: z.enum(['json', 'text']).default('text'),
});

/**
 * The environment with the checks that span variables (OIDC needs its three settings together,
 * over https; a session's idle timeout fits in its absolute one).
 */
export const validatedEnvironmentSchema = environmentSchema.superRefine((env, ctx) => {
  const oidc = [env.SOAR_OIDC_ISSUER, env.SOAR_OIDC_CLIENT_ID, env.SOAR_OIDC_REDIRECT_URL];
  if (oidc.some((value) => value !== undefined)) {
    for (const variable of ['SOAR_OIDC_ISSUER', 'SOAR_OIDC_CLIENT_ID', 'SOAR_OIDC_REDIRECT_URL'] as const) {
      if (env[variable] === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [variable],
          message: 'required when OIDC sign-in is configured',
        });
      }
    }
  }
  for (const variable of ['SOAR_OIDC_ISSUER', 'SOAR_OIDC_REDIRECT_URL'] as const) {
    const value = env[variable];
    if (value?.startsWith('http:') && !isLoopbackUrl(value)) {
      ctx.addIssue({
        code: 'custom',
        path: [variable],
        message: 'must be https (plain http only on localhost)',
      });
    }
  }
  if (env.SOAR_SESSION_IDLE_TIMEOUT > env.SOAR_SESSION_ABSOLUTE_TIMEOUT) {
    ctx.addIssue({
      code: 'custom',
      path: ['SOAR_SESSION_IDLE_TIMEOUT'],
      message: 'must not exceed SOAR_SESSION_ABSOLUTE_TIMEOUT',
    });
  }
});

export type Environment = z.output<typeof environmentSchema>;
