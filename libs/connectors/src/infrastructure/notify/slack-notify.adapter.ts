import { TemplateRenderer } from '@rampart/templates';

import { ActionOutcome, OperationOptions, outcome } from '../../domain/action-outcome';
import { invalidRequest } from '../../domain/connector-error';
import { NotifyConnector, NotifyMessage } from '../../domain/notify-connector';
import { checkOperationOptions, createTransport, guard, HttpConnectorSettings } from '../http/http-connector';
import { HttpResponse, HttpTransport, VendorProtocol } from '../http/http-transport';
import { resolveRuntime } from '../http/runtime';
import { checkNotifyTemplate, renderNotifyTemplate } from './notify-template';

export interface SlackSettings extends HttpConnectorSettings {
  /**
   * The secret part of the incoming-webhook URL, e.g. `/services/T000/B000/XXXX` (Mattermost:
   * `/hooks/xxx`). The base URL is the host, e.g. `https://hooks.slack.com`.
   */
  credentials: { webhookPath: string };
  template?: string;
  username?: string;
  iconEmoji?: string;
}

export const DEFAULT_SLACK_TEMPLATE = '*{{#if title}}{{title}}{{else}}Rampart notification{{/if}}*';
const WEBHOOK_PATH = /^(\/[A-Za-z0-9_-]{1,128}){1,6}$/;

/** Slack answers errors as a bare token in a text body: `invalid_payload`, `no_service`... */
export const slackProtocol: VendorProtocol = {
  describeError(response: HttpResponse) {
    const token = response.text.trim();
    return /^[a-z_]{1,64}$/.test(token) ? { vendorCode: token, message: token } : {};
  },
};

/** Slack's own escaping for message text: only `&`, `<` and `>` have meaning. */
export function slackEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Slack-compatible incoming webhook: POST `{text}` (mrkdwn) rendered from our template. Alert data
 * is escaped, so a `<!channel>` or a crafted link in an alert field stays inert text.
 */
export class SlackNotifyAdapter extends NotifyConnector {
  override readonly type = 'slack';
  override readonly name: string;
  readonly #transport: HttpTransport;
  readonly #renderer: TemplateRenderer;
  readonly #template: string;
  readonly #webhookPath: string;
  readonly #extras: Record<string, string>;

  constructor(settings: SlackSettings, renderer = new TemplateRenderer()) {
    super();
    this.name = settings.name;
    const webhookPath = settings.credentials.webhookPath;
    if (!WEBHOOK_PATH.test(webhookPath))
      throw invalidRequest('webhookPath must look like /services/T000/B000/XXXX');
    this.#webhookPath = webhookPath;
    this.#renderer = renderer;
    this.#template = settings.template ?? DEFAULT_SLACK_TEMPLATE;
    checkNotifyTemplate(this.#renderer, this.#template);
    this.#extras = {};
    if (settings.username) this.#extras.username = settings.username;
    if (settings.iconEmoji) this.#extras.icon_emoji = settings.iconEmoji;
    this.#transport = createTransport(settings, {
      connector: this.type,
      runtime: resolveRuntime(settings.runtime, settings.resilience),
      protocol: slackProtocol,
      secrets: () => [webhookPath, ...webhookPath.split('/').filter((part) => part.length >= 8)],
    });
  }

  send(message: NotifyMessage, options?: OperationOptions): Promise<ActionOutcome> {
    return guard(this.type, 'send', async () => {
      checkOperationOptions(options);
      const text = renderNotifyTemplate(
        this.#renderer,
        message.template ?? this.#template,
        message.data,
        slackEscape,
      );
      await this.#transport.request(
        { method: 'POST', path: this.#webhookPath, json: { text, ...this.#extras } },
        'send',
      );
      return outcome('changed', options, { details: { characters: text.length } });
    });
  }
}
