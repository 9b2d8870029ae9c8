import { z } from 'zod';

import type { EgressPolicy } from '@rampart/egress';
import { retryPolicyProblems } from '@rampart/resilience';
import { TemplateError, TemplateRenderer } from '@rampart/templates';

import { Capability } from '../domain/capability';
import { ConnectorError, ConnectorErrorCode, ConnectorIssue } from '../domain/connector-error';
import {
  CONNECTOR_CAPABILITY,
  CONNECTOR_TYPES,
  ConnectorInstance,
  ConnectorType,
} from '../domain/connector-instance';
import { EdrConnector } from '../domain/edr-connector';
import { FirewallConnector } from '../domain/firewall-connector';
import { NotifyConnector } from '../domain/notify-connector';
import { DEFAULT_CONNECTOR_RETRY_POLICY } from '../domain/retry-policy';
import { VpnConnector } from '../domain/vpn-connector';
import {
  CrowdStrikeEdrAdapter,
  RTR_SCRIPT_NAME,
} from '../infrastructure/crowdstrike/crowdstrike-edr.adapter';
import { FortiGateFirewallAdapter } from '../infrastructure/fortigate/fortigate-firewall.adapter';
import { FortiGateSslVpnAdapter } from '../infrastructure/fortigate/fortigate-sslvpn.adapter';
import { HttpConnectorSettings } from '../infrastructure/http/http-connector';
import { parseBaseUrl } from '../infrastructure/http/http-transport';
import { ConnectorRuntime, ResilienceOptions } from '../infrastructure/http/runtime';
import { MdeEdrAdapter } from '../infrastructure/mde/mde-edr.adapter';
import { SlackNotifyAdapter } from '../infrastructure/notify/slack-notify.adapter';
import { WebhookNotifyAdapter } from '../infrastructure/notify/webhook-notify.adapter';
import { OktaVpnAdapter } from '../infrastructure/okta/okta-vpn.adapter';
import { PanOsFirewallAdapter } from '../infrastructure/panos/panos-firewall.adapter';

export type AnyConnector = FirewallConnector | EdrConnector | VpnConnector | NotifyConnector;

/** What the registry injects into adapters: time, waiting, randomness, a shared renderer. */
export interface ConnectorDeps {
  runtime?: ConnectorRuntime;
  renderer?: TemplateRenderer;
}

const secret = z.string().min(1).max(4096);
// Printable names only: they show up in logs and the console.
// eslint-disable-next-line no-control-regex
const PRINTABLE = /^[^\u0000-\u001f\u007f]+$/;
const name = z.string().min(1).max(128).regex(PRINTABLE, 'must not contain control characters');

const TEMPLATE_CHECKER = new TemplateRenderer();

/** Resilience knobs every type accepts in `options`. */
const common = {
  timeoutMs: z.number().int().min(50).max(120_000).optional(),
  retries: z.number().int().min(0).max(10).optional(),
  backoffBaseMs: z.number().int().min(0).max(60_000).optional(),
  backoffMaxMs: z.number().int().min(0).max(300_000).optional(),
  maxRetryAfterMs: z.number().int().min(0).max(3_600_000).optional(),
  retryOnTimeout: z.boolean().optional(),
  breakerThreshold: z.number().int().min(1).max(1_000).optional(),
  breakerCoolDownMs: z.number().int().min(100).max(3_600_000).optional(),
  /** Plain http is refused except to loopback, unless explicitly allowed. */
  allowInsecureHttp: z.boolean().optional(),
};

const SCHEMAS = {
  panos: {
    credentials: z
      .strictObject({ apiKey: secret.optional(), username: secret.optional(), password: secret.optional() })
      .refine((value) => !!value.apiKey || (!!value.username && !!value.password), {
        message: 'apiKey, or username and password, is required',
        path: ['apiKey'],
      }),
    options: z.strictObject({
      ...common,
      tag: z
        .string()
        .regex(/^[A-Za-z0-9_.-]{1,127}$/)
        .optional(),
      target: z
        .string()
        .regex(/^[0-9A-Za-z]{1,32}$/)
        .optional(),
      vsys: z
        .string()
        .regex(/^vsys\d{1,3}$/)
        .optional(),
      persistent: z.boolean().optional(),
    }),
  },
  fortigate: {
    credentials: z.strictObject({ apiToken: secret }),
    options: z.strictObject({
      ...common,
      vdom: name.optional(),
      mode: z.enum(['address-group', 'banned-ip']).optional(),
      addressGroup: name.optional(),
      objectPrefix: z
        .string()
        .regex(/^[A-Za-z0-9_-]{1,20}$/)
        .optional(),
    }),
  },
  crowdstrike: {
    credentials: z.strictObject({ clientId: secret, clientSecret: secret }),
    options: z.strictObject({
      ...common,
      memberCid: z
        .string()
        .regex(/^[A-Za-z0-9-]{1,64}$/)
        .optional(),
      forensicsScript: z.string().regex(RTR_SCRIPT_NAME, 'an RTR cloud script name').optional(),
    }),
  },
  mde: {
    credentials: z.strictObject({ tenantId: secret, clientId: secret, clientSecret: secret }),
    options: z.strictObject({
      ...common,
      tokenUrl: z.url({ protocol: /^https?$/ }).optional(),
      resource: z.url().optional(),
      isolationType: z.enum(['Full', 'Selective']).optional(),
    }),
  },
  'fortigate-sslvpn': {
    credentials: z.strictObject({ apiToken: secret }),
    options: z.strictObject({ ...common, vdom: name.optional(), quarantineGroup: name.optional() }),
  },
  okta: {
    credentials: z.strictObject({ apiToken: secret }),
    options: z.strictObject({
      ...common,
      quarantineGroupId: z.string().regex(/^[A-Za-z0-9]{1,64}$/),
      revokeOAuthTokens: z.boolean().optional(),
    }),
  },
  webhook: {
    credentials: z.strictObject({ bearerToken: secret.optional(), signingSecret: secret.optional() }),
    options: z.strictObject({
      ...common,
      template: z.string().max(20_000).optional(),
      includeData: z.boolean().optional(),
    }),
  },
  slack: {
    credentials: z.strictObject({
      webhookPath: z
        .string()
        .regex(/^(\/[A-Za-z0-9_-]{1,128}){1,6}$/, 'must look like /services/T000/B000/XXXX'),
    }),
    options: z.strictObject({
      ...common,
      template: z.string().max(20_000).optional(),
      username: name.optional(),
      iconEmoji: z
        .string()
        .regex(/^:[a-z0-9_+-]{1,64}:$/)
        .optional(),
    }),
  },
} satisfies Record<ConnectorType, { credentials: z.ZodType; options: z.ZodType }>;

/**
 * Every problem with an instance's configuration, each with its field path. Empty = valid.
 * Messages name fields and expectations, never the values given. With `egress`, every URL the
 * instance connects to (baseUrl, options.tokenUrl) is also held to the egress policy as far as
 * can be told without resolving it (literal addresses, metadata names); the connection itself is
 * checked again on the address resolved.
 */
export function validateConnectorInstance(
  instance: ConnectorInstance,
  options: { egress?: EgressPolicy } = {},
): ConnectorIssue[] {
  const issues: ConnectorIssue[] = [];
  if (!CONNECTOR_TYPES.includes(instance.type)) {
    return [{ path: 'type', message: `must be one of ${CONNECTOR_TYPES.join(', ')}` }];
  }
  if (instance.capability !== CONNECTOR_CAPABILITY[instance.type]) {
    issues.push({
      path: 'capability',
      message: `type ${instance.type} provides ${CONNECTOR_CAPABILITY[instance.type]}`,
    });
  }
  if (!name.safeParse(instance.name).success)
    issues.push({ path: 'name', message: 'must be 1-128 printable characters' });
  const schema = SCHEMAS[instance.type];
  for (const [field, value, fieldSchema] of [
    ['credentials', instance.credentials, schema.credentials],
    ['options', instance.options ?? {}, schema.options],
  ] as const) {
    const result = fieldSchema.safeParse(value);
    if (!result.success) {
      for (const issue of result.error.issues) {
        issues.push({ path: [field, ...issue.path.map(String)].join('.'), message: issue.message });
      }
    }
  }
  const template = instance.options?.template;
  if (typeof template === 'string' && !issues.some((issue) => issue.path === 'options.template')) {
    // Compiled now, so that a template that cannot work is refused when configured, not at every notify.
    try {
      TEMPLATE_CHECKER.check(template);
    } catch (failure) {
      if (!(failure instanceof TemplateError)) throw failure;
      issues.push({ path: 'options.template', message: failure.message });
    }
  }
  const insecure = instance.options?.allowInsecureHttp === true;
  issues.push(...urlIssues('baseUrl', instance.baseUrl, insecure, options.egress));
  const tokenUrl = instance.options?.tokenUrl;
  if (typeof tokenUrl === 'string' && !issues.some((issue) => issue.path === 'options.tokenUrl')) {
    issues.push(...urlIssues('options.tokenUrl', tokenUrl, insecure, options.egress));
  }
  if (issues.length === 0) issues.push(...retryIssues(instance.options ?? {}));
  return issues;
}

/** The retry options together must make a valid retry policy (e.g. backoffMaxMs >= backoffBaseMs). */
function retryIssues(options: Record<string, unknown>): ConnectorIssue[] {
  const { retry } = resilienceFrom(options);
  const defined = Object.entries(retry ?? {}).filter(([, value]) => value !== undefined);
  const problems = retryPolicyProblems({ ...DEFAULT_CONNECTOR_RETRY_POLICY, ...Object.fromEntries(defined) });
  return problems.map((message) => ({ path: 'options', message: `retry: ${message}` }));
}

/**
 * Build the adapter for a stored instance. Configuration problems are one `invalid_request`
 * error listing every field-level issue.
 */
export function createConnector(instance: ConnectorInstance, deps: ConnectorDeps = {}): AnyConnector {
  const issues = validateConnectorInstance(instance);
  if (issues.length > 0) {
    throw new ConnectorError(
      ConnectorErrorCode.InvalidRequest,
      `connector "${safeName(instance)}" is misconfigured`,
      {
        issues,
        connector: String(instance.type),
        operation: 'create',
        retryable: false,
      },
    );
  }
  const options = instance.options ?? {};
  const settings: HttpConnectorSettings = {
    name: instance.name,
    baseUrl: instance.baseUrl,
    resilience: resilienceFrom(options),
    ...(deps.runtime ? { runtime: deps.runtime } : {}),
  };
  const credentials = instance.credentials;
  const renderer = deps.renderer ?? new TemplateRenderer();
  switch (instance.type) {
    case 'panos':
      return new PanOsFirewallAdapter({
        ...settings,
        credentials,
        ...pick(options, ['tag', 'target', 'vsys', 'persistent']),
      });
    case 'fortigate':
      return new FortiGateFirewallAdapter({
        ...settings,
        credentials: { apiToken: credentials.apiToken ?? '' },
        ...pick(options, ['vdom', 'mode', 'addressGroup', 'objectPrefix']),
      });
    case 'crowdstrike':
      return new CrowdStrikeEdrAdapter({
        ...settings,
        credentials: { clientId: credentials.clientId ?? '', clientSecret: credentials.clientSecret ?? '' },
        ...pick(options, ['memberCid', 'forensicsScript']),
      });
    case 'mde':
      return new MdeEdrAdapter({
        ...settings,
        credentials: {
          tenantId: credentials.tenantId ?? '',
          clientId: credentials.clientId ?? '',
          clientSecret: credentials.clientSecret ?? '',
        },
        ...pick(options, ['tokenUrl', 'resource', 'isolationType']),
      });
    case 'fortigate-sslvpn':
      return new FortiGateSslVpnAdapter({
        ...settings,
        credentials: { apiToken: credentials.apiToken ?? '' },
        ...pick(options, ['vdom', 'quarantineGroup']),
      });
    case 'okta':
      return new OktaVpnAdapter({
        ...settings,
        credentials: { apiToken: credentials.apiToken ?? '' },
        quarantineGroupId: String(options.quarantineGroupId),
        ...pick(options, ['revokeOAuthTokens']),
      });
    case 'webhook':
      return new WebhookNotifyAdapter(
        { ...settings, credentials, ...pick(options, ['template', 'includeData']) },
        renderer,
      );
    case 'slack':
      return new SlackNotifyAdapter(
        {
          ...settings,
          credentials: { webhookPath: credentials.webhookPath ?? '' },
          ...pick(options, ['template', 'username', 'iconEmoji']),
        },
        renderer,
      );
  }
}

/** {@link createConnector} for a caller that needs one capability; a mismatch is `invalid_request`. */
export function createFirewallConnector(
  instance: ConnectorInstance,
  deps?: ConnectorDeps,
): FirewallConnector {
  return expectCapability(createConnector(instance, deps), 'firewall', FirewallConnector);
}

export function createEdrConnector(instance: ConnectorInstance, deps?: ConnectorDeps): EdrConnector {
  return expectCapability(createConnector(instance, deps), 'edr', EdrConnector);
}

export function createVpnConnector(instance: ConnectorInstance, deps?: ConnectorDeps): VpnConnector {
  return expectCapability(createConnector(instance, deps), 'vpn', VpnConnector);
}

export function createNotifyConnector(instance: ConnectorInstance, deps?: ConnectorDeps): NotifyConnector {
  return expectCapability(createConnector(instance, deps), 'notify', NotifyConnector);
}

function expectCapability<T>(
  connector: AnyConnector,
  capability: Capability,
  kind: abstract new (...args: never[]) => T,
): T {
  if (!(connector instanceof kind)) {
    throw new ConnectorError(
      ConnectorErrorCode.InvalidRequest,
      `connector "${connector.name}" is not a ${capability} connector`,
      {
        issues: [{ path: 'capability', message: `expected ${capability}, got ${connector.capability}` }],
        retryable: false,
      },
    );
  }
  return connector;
}

function resilienceFrom(options: Record<string, unknown>): ResilienceOptions {
  const number = (key: string): number | undefined =>
    typeof options[key] === 'number' ? (options[key] as number) : undefined;
  const resilience: ResilienceOptions = {};
  const timeoutMs = number('timeoutMs');
  if (timeoutMs !== undefined) resilience.timeoutMs = timeoutMs;
  // Undefined fields keep the policy's defaults (retryPolicy skips them).
  resilience.retry = {
    maxRetries: number('retries'),
    initialDelayMs: number('backoffBaseMs'),
    maxDelayMs: number('backoffMaxMs'),
    maxRetryAfterMs: number('maxRetryAfterMs'),
    retryOnTimeout: typeof options.retryOnTimeout === 'boolean' ? options.retryOnTimeout : undefined,
  } as ResilienceOptions['retry'];
  const breaker: NonNullable<ResilienceOptions['breaker']> = {};
  const threshold = number('breakerThreshold');
  if (threshold !== undefined) breaker.failureThreshold = threshold;
  const coolDown = number('breakerCoolDownMs');
  if (coolDown !== undefined) breaker.coolDownMs = coolDown;
  resilience.breaker = breaker;
  return resilience;
}

/** The options that name where an instance connects, besides baseUrl. */
export const DESTINATION_OPTIONS = ['tokenUrl', 'resource'] as const;

function urlIssues(
  path: string,
  value: string,
  allowInsecureHttp: boolean,
  egress: EgressPolicy | undefined,
): ConnectorIssue[] {
  let url: URL;
  try {
    parseBaseUrl(value);
    url = new URL(value);
  } catch (failure) {
    const message =
      failure instanceof ConnectorError ? failure.message.replace(/^baseUrl/, path) : 'must be a URL';
    return [{ path, message }];
  }
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname) || /^127\./.test(url.hostname);
  if (url.protocol === 'http:' && !loopback && !allowInsecureHttp) {
    return [{ path, message: 'must be https (http only to loopback, or with options.allowInsecureHttp)' }];
  }
  const denial = egress?.checkHost(url.hostname);
  if (denial) {
    return [
      { path, message: `is refused by the egress policy (${denial.reason}); allow it in SOAR_EGRESS_ALLOW` },
    ];
  }
  return [];
}

function pick<K extends string>(
  options: Record<string, unknown>,
  keys: readonly K[],
): Partial<Record<K, never>> {
  const out: Record<string, unknown> = {};
  for (const key of keys) if (options[key] !== undefined) out[key] = options[key];
  return out as Partial<Record<K, never>>;
}

function safeName(instance: ConnectorInstance): string {
  return typeof instance.name === 'string' ? instance.name.slice(0, 128).replace(/[^\x20-\x7e]/g, '?') : '?';
}
