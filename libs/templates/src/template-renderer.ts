import Handlebars from 'handlebars';

import { TemplateError } from './template-error';

/** Our short list of helpers; nothing else can be called from a template. */
const HELPERS: Record<string, Handlebars.HelperDelegate> = {
  json: (value: unknown) => JSON.stringify(value ?? null),
  upper: (value: unknown) => String(value ?? '').toUpperCase(),
  default: (value: unknown, fallback: unknown) =>
    value === undefined || value === null || value === '' ? fallback : value,
  join: (value: unknown, separator: unknown) =>
    Array.isArray(value)
      ? value.map((item) => String(item)).join(typeof separator === 'string' ? separator : ', ')
      : '',
};
const BUILT_INS = ['if', 'unless', 'each', 'with'];
/** Handlebars' internal fallbacks stay registered; `log` and `lookup` go. */
const INTERNAL = ['helperMissing', 'blockHelperMissing'];
const MAX_TEMPLATE_LENGTH = 20_000;
const MAX_DEPTH = 20;

export interface TemplateRendererOptions {
  /**
   * `none` (default): output is text (a notification, a JSON field, a playbook parameter).
   * `html`: Handlebars escapes every `{{value}}` for HTML; `{{{value}}}` stays raw for our own markup.
   */
  escape?: 'none' | 'html';
}

/**
 * The one Handlebars renderer of Rampart: notifications, playbook parameters and reports.
 * Templates are ours (playbooks, instance options, report templates); alert data only ever
 * arrives as template data. Strict mode (a missing field is an error, not a blank), only our
 * helpers, no partials or decorators, prototype access left at Handlebars' safe default (never
 * enabled), and the data copied into prototype-less plain objects.
 */
export class TemplateRenderer {
  readonly #env = Handlebars.create();
  readonly #cache = new Map<string, Handlebars.TemplateDelegate>();
  readonly #noEscape: boolean;

  constructor(options: TemplateRendererOptions = {}) {
    this.#noEscape = (options.escape ?? 'none') === 'none';
    for (const name of Object.keys(this.#env.helpers)) {
      if (!BUILT_INS.includes(name) && !INTERNAL.includes(name)) this.#env.unregisterHelper(name);
    }
    this.#env.registerHelper(HELPERS);
  }

  /**
   * Render `template` with `data`. Every string in the data passes through `escapeText` first
   * (e.g. Slack's `&`, `<`, `>`), so data can never inject markup; the template's own text can.
   * Compile and render errors are a {@link TemplateError}.
   */
  render(
    template: string,
    data: Record<string, unknown>,
    escapeText: (text: string) => string = (text) => text,
  ): string {
    const compiled = this.compile(template);
    try {
      return compiled(plainData(data, escapeText, 0), {
        allowProtoPropertiesByDefault: false,
        allowProtoMethodsByDefault: false,
      });
    } catch (failure) {
      throw new TemplateError('render_failed', `template could not be rendered: ${firstLine(failure)}`);
    }
  }

  /** Parse and compile now, so a bad template is reported when configured, not when used. */
  check(template: string): void {
    this.compile(template);
  }

  private compile(template: string): Handlebars.TemplateDelegate {
    if (typeof template !== 'string' || template.length > MAX_TEMPLATE_LENGTH) {
      throw new TemplateError(
        'invalid_template',
        `template must be a string of at most ${MAX_TEMPLATE_LENGTH} characters`,
      );
    }
    const cached = this.#cache.get(template);
    if (cached) return cached;
    let compiled: Handlebars.TemplateDelegate;
    try {
      const ast = this.#env.parse(template);
      assertNoPartials(ast);
      assertHelperArity(ast);
      // precompile parses and compiles eagerly; compile() alone would defer errors to render time.
      this.#env.precompile(template, { strict: true, knownHelpers: knownHelpers(), knownHelpersOnly: true });
      compiled = this.#env.compile(template, {
        strict: true,
        noEscape: this.#noEscape,
        knownHelpers: knownHelpers(),
        knownHelpersOnly: true,
      });
    } catch (failure) {
      throw new TemplateError('invalid_template', `template does not compile: ${firstLine(failure)}`);
    }
    if (this.#cache.size >= 100) this.#cache.delete(this.#cache.keys().next().value as string);
    this.#cache.set(template, compiled);
    return compiled;
  }
}

function knownHelpers(): Record<string, boolean> {
  // Handlebars counts `log` and `lookup` as known by default; marking them unknown makes
  // `knownHelpersOnly` refuse them at compile time.
  return {
    ...Object.fromEntries([...BUILT_INS, ...Object.keys(HELPERS)].map((name) => [name, true])),
    log: false,
    lookup: false,
  };
}

const FORBIDDEN_NODES = new Set(['PartialStatement', 'PartialBlockStatement', 'Decorator', 'DecoratorBlock']);

/** Partials and decorators would pull in code or templates from elsewhere: refused. */
function assertNoPartials(node: unknown, depth = 0): void {
  if (depth > 200 || node === null || typeof node !== 'object') return;
  if (FORBIDDEN_NODES.has(String((node as { type?: unknown }).type))) {
    throw new Error('partials and decorators are not allowed');
  }
  for (const value of Object.values(node as Record<string, unknown>)) {
    if (Array.isArray(value)) value.forEach((item) => assertNoPartials(item, depth + 1));
    else if (value !== null && typeof value === 'object') assertNoPartials(value, depth + 1);
  }
}

/**
 * How many arguments each helper takes. Handlebars checks this only when a template renders
 * (`{{#if}}{{/if}}` compiles, then fails every time), so it is checked at compile time here.
 */
const HELPER_ARITY: Record<string, readonly [number, number]> = {
  if: [1, 1],
  unless: [1, 1],
  with: [1, 1],
  each: [1, 1],
  json: [1, 1],
  upper: [1, 1],
  default: [2, 2],
  join: [1, 2],
};

function assertHelperArity(node: unknown, depth = 0): void {
  if (depth > 200 || node === null || typeof node !== 'object') return;
  const { type, path, params } = node as { type?: unknown; path?: { original?: unknown }; params?: unknown };
  if (type === 'BlockStatement' || type === 'MustacheStatement' || type === 'SubExpression') {
    const name = typeof path?.original === 'string' ? path.original : undefined;
    const arity = name !== undefined && Object.hasOwn(HELPER_ARITY, name) ? HELPER_ARITY[name] : undefined;
    const count = Array.isArray(params) ? params.length : 0;
    // A bare {{name}} without arguments reads a field of that name, unless it is a block.
    const called = type !== 'MustacheStatement' || count > 0;
    if (arity && called && (count < arity[0] || count > arity[1])) {
      const expected = arity[0] === arity[1] ? `${arity[0]}` : `${arity[0]} or ${arity[1]}`;
      throw new Error(`${name} takes ${expected} argument${expected === '1' ? '' : 's'}, not ${count}`);
    }
  }
  for (const value of Object.values(node as Record<string, unknown>)) {
    if (Array.isArray(value)) value.forEach((item) => assertHelperArity(item, depth + 1));
    else if (value !== null && typeof value === 'object') assertHelperArity(value, depth + 1);
  }
}

/** A JSON-like, prototype-less copy of the data with strings escaped; functions are dropped. */
function plainData(value: unknown, escapeText: (text: string) => string, depth: number): never {
  return copy(value, escapeText, depth) as never;
}

function copy(value: unknown, escapeText: (text: string) => string, depth: number): unknown {
  if (depth > MAX_DEPTH) return null;
  if (typeof value === 'string') return escapeText(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined)
    return value;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (Array.isArray(value)) return value.map((item) => copy(item, escapeText, depth + 1));
  if (typeof value === 'object') {
    const out = Object.create(null) as Record<string, unknown>;
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      if (key === '__proto__' || key === 'constructor' || key === 'prototype') continue;
      if (typeof item !== 'function' && typeof item !== 'symbol')
        out[key] = copy(item, escapeText, depth + 1);
    }
    return out;
  }
  return null;
}

// Handlebars' parse errors are "Parse error on line N:", an excerpt, a caret line and "Expecting
// ..., got ...": the first and the last line say it without the excerpt.
function firstLine(failure: unknown): string {
  const lines = (failure instanceof Error ? failure.message : 'unknown error').split('\n');
  const first = lines[0] ?? '';
  const last = lines.length > 1 ? (lines[lines.length - 1] ?? '') : '';
  return (last.startsWith('Expecting') ? `${first} ${last}` : first).slice(0, 200);
}
