import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Report templates: REPORT_TEMPLATES_DIR first (a file there overrides the shipped one of the
 * same name), then the templates kept in the repository (`reports/templates`).
 */
export class TemplateFiles {
  private readonly cache = new Map<string, string | null>();
  private readonly directories: string[];

  constructor(overrideDir: string | undefined) {
    this.directories = [...(overrideDir ? [path.resolve(overrideDir)] : []), shippedTemplates()];
  }

  /** The template named `name`, or null when neither directory has it. */
  read(name: string): string | null {
    if (!this.cache.has(name)) {
      const file = this.directories
        .map((dir) => path.join(dir, name))
        .find((candidate) => existsSync(candidate));
      this.cache.set(name, file ? readFileSync(file, 'utf8') : null);
    }
    return this.cache.get(name) ?? null;
  }

  require(name: string): string {
    const template = this.read(name);
    if (template === null)
      throw new Error(`report template ${name} is missing from ${this.directories.join(' and ')}`);
    return template;
  }
}

/** `reports/templates` of the checkout, found from here whether this runs from dist/ or from source. */
function shippedTemplates(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'reports', 'templates');
    if (existsSync(path.join(candidate, 'report.html.hbs'))) return candidate;
    if (path.dirname(dir) === dir) return path.resolve('reports', 'templates');
  }
}
