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

const masterKey = z
  .string()
  .refine(
    (value) => /^[0-9a-fA-F]{64}$/.test(value) || Buffer.from(value, 'base64').length === 32,
    'must be 32 bytes as 64 hex characters or base64',
  );

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
  SOAR_MASTER_KEY: masterKey.optional(),
  PLAYBOOKS_DIR: z.string().min(1).default('./playbooks'),
  CONNECTORS_FILE: z.string().min(1).optional(),
  CORRELATION_RULES_DIR: z.string().min(1).default('./rules/correlation'),
  CORRELATION_WINDOW: duration.default(30 * 60 * 1000),
  ACTION_SWEEP_INTERVAL: duration.default(15_000),
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
  SOAR_HMAC_TOLERANCE_SECONDS: z.coerce.number().int().min(1).max(3600).default(300),
  LOG_LEVEL: z.enum(['error', 'warn', 'log', 'debug', 'verbose']).default('log'),
  LOG_FORMAT: z.enum(['json', 'text']).default('text'),
});

export type Environment = z.output<typeof environmentSchema>;
