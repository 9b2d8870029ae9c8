import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';

import { CONTAINMENT_OPERATIONS, parseNetworkTarget } from '@rampart/connectors';
import { fieldIssues, formatYamlPath, locateInYaml } from '@rampart/yaml-diagnostics';

import { canonicalAssetValue, PROTECTED_ASSET_KINDS } from '../domain/guardrails';
import type { NewProtectedAsset } from './protected-asset-store';

/** One problem in PROTECTED_ASSETS_FILE, with its place: the entry is skipped, the others load. */
export interface ProtectedAssetsFileDiagnostic {
  file: string;
  line: number | null;
  path: string;
  message: string;
}

const entry = z.strictObject({
  kind: z.enum(PROTECTED_ASSET_KINDS),
  value: z.string().min(1).max(256),
  operations: z.array(z.enum(CONTAINMENT_OPERATIONS)).min(1).optional(),
  reason: z.string().min(1).max(500).optional(),
});

/**
 * Reads a protected-assets file:
 * ```yaml
 * protected:
 *   - { kind: cidr, value: 10.0.0.53/32, reason: internal resolver }
 *   - { kind: host, value: dc01, operations: [isolate_host] }
 * ```
 * Every entry is checked on its own; the sound ones load.
 */
export function compileProtectedAssetsFile(
  file: string,
  text: string,
): { assets: NewProtectedAsset[]; diagnostics: ProtectedAssetsFileDiagnostic[] } {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: true });
  const diagnostics: ProtectedAssetsFileDiagnostic[] = [];
  if (document.errors.length > 0) {
    for (const error of document.errors) {
      diagnostics.push({
        file,
        line: error.linePos?.[0]?.line ?? null,
        path: '',
        message: `YAML: ${error.message.split('\n')[0]}`,
      });
    }
    return { assets: [], diagnostics };
  }
  const raw: unknown = document.toJS();
  const list = (raw as { protected?: unknown } | null)?.protected;
  if (!Array.isArray(list)) {
    diagnostics.push({ file, line: 1, path: 'protected', message: 'expected a list under `protected:`' });
    return { assets: [], diagnostics };
  }
  const assets: NewProtectedAsset[] = [];
  const seen = new Set<string>();
  list.forEach((item: unknown, index) => {
    const where = (path: (string | number)[], atKey = false) => ({
      file,
      line: locateInYaml(document, lineCounter, ['protected', index, ...path], atKey),
      path: formatYamlPath(['protected', index, ...path]),
    });
    const parsed = entry.safeParse(item);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        for (const problem of fieldIssues(issue, item)) {
          diagnostics.push({
            ...where(problem.path, problem.kind === 'unknown_field'),
            message: problem.message,
          });
        }
      }
      return;
    }
    const canonical = canonicalAssetValue(parsed.data.kind, parsed.data.value, parseNetworkTarget);
    if (!canonical.ok) {
      diagnostics.push({ ...where(['value']), message: `${canonical.problem} for a ${parsed.data.kind}` });
      return;
    }
    const key = `${parsed.data.kind}:${canonical.value}`;
    if (seen.has(key)) {
      diagnostics.push({
        ...where(['value']),
        message: `${parsed.data.kind} ${canonical.value} is listed twice`,
      });
      return;
    }
    seen.add(key);
    assets.push({
      kind: parsed.data.kind,
      value: canonical.value,
      operations: parsed.data.operations ?? null,
      reason: parsed.data.reason ?? null,
      createdBy: `file:${file}`,
    });
  });
  return { assets, diagnostics };
}

export function formatProtectedAssetsFileDiagnostic(diagnostic: ProtectedAssetsFileDiagnostic): string {
  const place = diagnostic.line === null ? diagnostic.file : `${diagnostic.file}:${diagnostic.line}`;
  return `${place}${diagnostic.path ? ` ${diagnostic.path}` : ''}: ${diagnostic.message}`;
}
