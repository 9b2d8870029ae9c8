import { createHmac, randomUUID } from 'node:crypto';

import { TemplateRenderer } from '@rampart/templates';

import { ActionOutcome, OperationOptions, outcome } from '../../domain/action-outcome';
import { invalidRequest } from '../../domain/connector-error';
import { NotifyConnector, NotifyMessage } from '../../domain/notify-connector';
import { AuthProvider, StaticHeaderAuth } from '../http/auth-provider';
import { checkOperationOptions, createTransport, guard, HttpConnectorSettings } from '../http/http-connector';
import { HttpTransport } from '../http/http-transport';
import { resolveRuntime } from '../http/runtime';
import { checkNotifyTemplate, renderNotifyTemplate } from './notify-template';

export interface WebhookSettings extends HttpConnectorSettings {
  /** `bearerToken`: sent as `Authorization: Bearer`; `signingSecret`: Standard Webhooks HMAC. */
  credentials: { bearerToken?: string; signingSecret?: string };
  /** Default message template. */
  template?: string;
  /** Put the (JSON-safe) template data in the body next to the rendered text (default true). */
  includeData?: boolean;
}

export const DEFAULT_WEBHOOK_TEMPLATE = '{{#if title}}{{title}}{{else}}Rampart notification{{/if}}';

/**
 * Generic JSON webhook: POSTs `{event, text, data, idempotencyKey}` to the configured URL. With a
 * signing secret the body is signed the Standard Webhooks way (`webhook-id`,
 * `webhook-timestamp`, `webhook-signature: v1,<base64 HMAC-SHA256>`), so receivers can verify it;
 * the idempotency key doubles as `webhook-id` and `Idempotency-Key` for receiver-side dedupe.
 */
export class WebhookNotifyAdapter extends NotifyConnector {
  override readonly type = 'webhook';
  override readonly name: string;
  readonly #transport: HttpTransport;
  readonly #renderer: TemplateRenderer;
  readonly #template: string;
  readonly #includeData: boolean;
  readonly #signingKey: Buffer | undefined;
  readonly #clock: () => number;

  constructor(settings: WebhookSettings, renderer = new TemplateRenderer()) {
    super();
    this.name = settings.name;
    this.#renderer = renderer;
    this.#template = settings.template ?? DEFAULT_WEBHOOK_TEMPLATE;
    checkNotifyTemplate(this.#renderer, this.#template);
    this.#includeData = settings.includeData ?? true;
    const { bearerToken, signingSecret } = settings.credentials;
    this.#signingKey = signingSecret
      ? signingSecret.startsWith('whsec_')
        ? Buffer.from(signingSecret.slice('whsec_'.length), 'base64')
        : Buffer.from(signingSecret, 'utf8')
      : undefined;
    const runtime = resolveRuntime(settings.runtime, settings.resilience);
    this.#clock = runtime.clock;
    const auth: AuthProvider | undefined = bearerToken
      ? new StaticHeaderAuth('Authorization', `Bearer ${bearerToken}`, bearerToken)
      : undefined;
    this.#transport = createTransport(settings, {
      connector: this.type,
      runtime,
      ...(auth ? { auth } : {}),
      secrets: () => (signingSecret ? [signingSecret] : []),
    });
  }

  send(message: NotifyMessage, options?: OperationOptions): Promise<ActionOutcome> {
    return guard(this.type, 'send', async () => {
      checkOperationOptions(options);
      const text = renderNotifyTemplate(this.#renderer, message.template ?? this.#template, message.data);
      const id = options?.idempotencyKey ?? randomUUID();
      let body: string;
      try {
        body = JSON.stringify({
          event: 'rampart.notification',
          text,
          ...(this.#includeData ? { data: message.data } : {}),
          ...(options?.idempotencyKey ? { idempotencyKey: options.idempotencyKey } : {}),
        });
      } catch {
        throw invalidRequest('notification data is not JSON-serialisable');
      }
      const headers: Record<string, string> = { 'Idempotency-Key': id };
      if (this.#signingKey) {
        const timestamp = String(Math.floor(this.#clock() / 1000));
        const signature = createHmac('sha256', this.#signingKey)
          .update(`${id}.${timestamp}.${body}`)
          .digest('base64');
        Object.assign(headers, {
          'webhook-id': id,
          'webhook-timestamp': timestamp,
          'webhook-signature': `v1,${signature}`,
        });
      }
      const response = await this.#transport.request(
        { method: 'POST', path: '', raw: { contentType: 'application/json', text: body }, headers },
        'send',
      );
      return outcome('changed', options, { vendorRef: id, details: { httpStatus: response.status } });
    });
  }
}
