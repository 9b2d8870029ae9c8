import { storableJsonText, storableText } from '@rampart/text';

// `$3::jsonb`, `$3::json`, `CAST($3 AS jsonb)`: the parameters a statement reads as JSON text.
const JSON_CAST = /\$(\d+)\s*::\s*jsonb?\b|CAST\s*\(\s*\$(\d+)\s+AS\s+jsonb?\b/gi;

/**
 * The one sanitizing boundary before PostgreSQL: every string parameter, in arrays too, with NUL
 * and unpaired surrogates replaced by U+FFFD, so that no field of any alert, request or vendor
 * answer can make a statement fail. Parameters the statement casts to json/jsonb are JSON text,
 * whose escapes are sanitized as well (jsonb refuses `\u0000` and lone surrogate escapes); an
 * object parameter is serialized here for the same reason (node-postgres would do it unchecked).
 */
export function storableParameters(sql: string, parameters: readonly unknown[]): unknown[] {
  const jsonParameters = new Set<number>();
  for (const match of sql.matchAll(JSON_CAST)) jsonParameters.add(Number(match[1] ?? match[2]) - 1);
  return parameters.map((value, index) => storable(value, jsonParameters.has(index)));
}

function storable(value: unknown, json: boolean): unknown {
  if (typeof value === 'string') return json ? storableJsonText(value) : storableText(value);
  if (Array.isArray(value)) return value.map((item) => storable(item, false));
  if (value === null || typeof value !== 'object' || value instanceof Date || Buffer.isBuffer(value))
    return value;
  return storableJsonText(JSON.stringify(value));
}
