import type { ApiDocOptions } from '@rampart/web';

const HTML = { description: 'an HTML page', contentType: 'text/html', schema: { type: 'string' } };

/** How a console page is described in the OpenAPI document: HTML, 303 to /login without a session. */
export function pageDoc(summary: string, errors: number[] = []): ApiDocOptions {
  return {
    summary: `Console: ${summary}`,
    description: 'A page of the web console (HTML). Without a session it answers 303 to /login.',
    responses: { 200: HTML, 303: 'to /login when not signed in' },
    ...(errors.length > 0 ? { errors } : {}),
  };
}

export function fragmentDoc(summary: string, errors: number[] = []): ApiDocOptions {
  return {
    summary: `Console: ${summary}`,
    description: 'A part of a console page (HTML) that the page loads with htmx.',
    responses: { 200: HTML, 303: 'to /login when not signed in' },
    ...(errors.length > 0 ? { errors } : {}),
  };
}
