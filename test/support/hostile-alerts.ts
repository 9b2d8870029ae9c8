import { ALERT_FORMATS, type AlertFormat, buildSampleAlert } from '@rampart/alerts';

/** The characters PostgreSQL cannot store as they are: NUL and unpaired UTF-16 surrogates. */
export const UNSTORABLE = ['\u0000', '\ud800', '\udc00'] as const;

export interface HostileVariant {
  format: AlertFormat;
  /** Where the character went: a dotted path, `key:<path>` for a key, `cef:<field>` in a CEF line. */
  where: string;
  alert: unknown;
}

/**
 * For each format, one alert per field (and one per object key) with `character` put into that
 * field: every string a sample alert of that format holds, CEF extensions and header fields
 * included. Each variant has its own vendor id, so that none is a duplicate of another.
 */
export function hostileVariants(character: string, tag: string, time: Date): HostileVariant[] {
  const variants: HostileVariant[] = [];
  for (const format of ALERT_FORMATS) {
    const base = (n: number) =>
      buildSampleAlert(format, {
        id: `${tag}-${format}-${n}`,
        time,
        host: 'hostile-host',
        srcIp: '203.0.113.50',
        user: 'hostile-user',
        title: 'hostile text',
      });
    if (format === 'cef') {
      const line = base(0) as string;
      const fields = line.split('|');
      // The seven header fields after CEF:0, then every extension value.
      for (let index = 1; index < 7; index++) {
        const copy = (base(variants.length) as string).split('|');
        copy[index] = `${copy[index] ?? ''}${character}`;
        variants.push({ format, where: `cef:header${index}`, alert: copy.join('|') });
      }
      const extension = fields.slice(7).join('|');
      for (const match of extension.matchAll(/(\w+)=/g)) {
        const key = match[1] as string;
        const copy = (base(variants.length) as string).replace(`${key}=`, `${key}=${character}`);
        variants.push({ format, where: `cef:${key}`, alert: copy });
      }
      continue;
    }
    const paths = stringPaths(base(0));
    for (const path of paths) {
      const alert = base(variants.length);
      setAt(alert, path, (value) => `${value}${character}`);
      variants.push({ format, where: path.join('.'), alert });
    }
    const withKey = base(variants.length) as Record<string, unknown>;
    withKey[`extra${character}key`] = 'value';
    variants.push({ format, where: 'key:extra', alert: withKey });
  }
  return variants;
}

/** The path of every string in a JSON value. */
export function stringPaths(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (typeof value === 'string') return [path];
  if (Array.isArray(value)) return value.flatMap((item, index) => stringPaths(item, [...path, index]));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => stringPaths(item, [...path, key]));
  }
  return [];
}

/** Replaces the string at `path` (nothing for the empty path). */
export function setAt(root: unknown, path: (string | number)[], change: (value: string) => string): void {
  if (path.length === 0) return;
  let node = root as Record<string | number, unknown>;
  for (const step of path.slice(0, -1)) node = node[step] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  node[last] = change(node[last] as string);
}
