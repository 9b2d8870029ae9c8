import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { Injectable } from '@nestjs/common';

import { PERMISSIONS, type Principal, roleHas } from '@rampart/auth';
import { TemplateRenderer } from '@rampart/templates';

import { navigation } from '../../domain/navigation';

/** What every page shows around its own content. */
export interface PageFrame {
  title: string;
  /** The nav entry to mark as current (its href). */
  current: string;
}

/**
 * The console's Handlebars views (libs/console/views), rendered through the one renderer of
 * Rampart: HTML escaping on, strict, our helpers only, no partials. A page is its view rendered
 * with its data, then placed in the layout; a fragment (a part of a page that htmx swaps in) is
 * rendered alone. The views are read once, at start.
 */
@Injectable()
export class ConsoleViews {
  private readonly renderer = new TemplateRenderer({ escape: 'html' });
  private readonly views = new Map<string, string>();

  constructor() {
    const dir = viewsDirectory();
    for (const file of readdirSync(dir)) {
      if (file.endsWith('.hbs')) {
        const template = readFileSync(path.join(dir, file), 'utf8');
        this.renderer.check(template);
        this.views.set(file.slice(0, -'.hbs'.length), template);
      }
    }
  }

  /** A whole page for `principal`: the layout (navigation by role, sign-out) around `view`. */
  page(principal: Principal, frame: PageFrame, view: string, data: Record<string, unknown>): string {
    const content = this.fragment(view, { ...data, can: abilities(principal) });
    return this.fragment('layout', {
      title: frame.title,
      username: principal.name,
      role: principal.role,
      csrfToken: principal.kind === 'user' ? principal.csrfToken : '',
      signedIn: principal.kind === 'user',
      nav: navigation(principal.role, frame.current),
      content,
    });
  }

  /** One view alone (an htmx fragment, or part of a page). */
  fragment(view: string, data: Record<string, unknown>): string {
    const template = this.views.get(view);
    if (template === undefined) throw new Error(`console view ${view} is missing`);
    return this.renderer.render(template, data);
  }

  /** A view for pages that are not a principal's (errors), in the bare layout. */
  bare(title: string, message: string): string {
    return this.fragment('bare', { title, message });
  }
}

/**
 * What the role may do, for views to hide what it cannot (the server refuses it anyway):
 * `can.incidentsUpdate` for `incidents:update`.
 */
export function abilities(principal: Principal): Record<string, boolean> {
  return Object.fromEntries(
    PERMISSIONS.map((permission) => [
      permission.replace(/[:_](\w)/g, (_all, letter: string) => letter.toUpperCase()),
      roleHas(principal.role, permission),
    ]),
  );
}

/** `libs/console/views` of the checkout, found from here whether this runs from dist/ or from source. */
export function consoleDirectory(name: 'views' | 'static'): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'libs', 'console', name);
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return path.resolve('libs', 'console', name);
  }
}

function viewsDirectory(): string {
  return consoleDirectory('views');
}
