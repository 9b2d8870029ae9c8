import { TemplateError, TemplateRenderer } from '@rampart/templates';

import { invalidRequest } from '../../domain/connector-error';

/** A notify template that does not compile (or data that cannot fill it) is the caller's mistake. */
function asInvalidRequest<T>(work: () => T): T {
  try {
    return work();
  } catch (failure) {
    if (failure instanceof TemplateError) throw invalidRequest(failure.message);
    throw failure;
  }
}

export function checkNotifyTemplate(renderer: TemplateRenderer, template: string): void {
  asInvalidRequest(() => renderer.check(template));
}

export function renderNotifyTemplate(
  renderer: TemplateRenderer,
  template: string,
  data: Record<string, unknown>,
  escapeText?: (text: string) => string,
): string {
  return asInvalidRequest(() => renderer.render(template, data, escapeText));
}
