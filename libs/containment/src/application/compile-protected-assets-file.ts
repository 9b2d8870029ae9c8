import { z } from 'zod';

import { CONTAINMENT_OPERATIONS, parseNetworkTarget } from '@rampart/connectors';
import { type Diagnostic, diagnosticInYaml, fieldIssues, parseYamlFile } from '@rampart/diagnostics';

import { canonicalAssetValue, PROTECTED_ASSET_KINDS } from '../domain/guardrails';
import type { NewProtectedAsset } from './protected-asset-store';

/** Why an entry of PROTECTED_ASSETS_FILE did not load. */
export type ProtectedAssetsFileCode =
  | 'yaml_syntax'
  | 'invalid_structure'
  | 'unknown_field'
  | 'missing_field'
  | 'invalid_field'
  | 'duplicate_asset';

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
 * Every entry is checked on its own; the sound ones load, each problem has its file, line and path.
 */
export function compileProtectedAssetsFile(
  file: string,
  text: string,
): { assets: NewProtectedAsset[]; diagnostics: Diagnostic<ProtectedAssetsFileCode>[] } {
  const parsed = parseYamlFile<ProtectedAssetsFileCode>(text, file, 'yaml_syntax');
  if (!parsed.ok) return { assets: [], diagnostics: parsed.diagnostics };
  const { yaml, data } = parsed;
  const diagnostics = [...parsed.diagnostics];
  const error = (code: ProtectedAssetsFileCode, path: (string | number)[], message: string, atKey = false) =>
    diagnostics.push(diagnosticInYaml(yaml, { severity: 'error', code, path, message, atKey }));
  const list = (data as { protected?: unknown } | null)?.protected;
  if (!Array.isArray(list)) {
    error('invalid_structure', ['protected'], 'expected a list under `protected:`');
    return { assets: [], diagnostics };
  }
  const assets: NewProtectedAsset[] = [];
  const seen = new Set<string>();
  list.forEach((item: unknown, index) => {
    const at = (path: (string | number)[]) => ['protected', index, ...path];
    const result = entry.safeParse(item);
    if (!result.success) {
      for (const issue of result.error.issues) {
        for (const problem of fieldIssues(issue, item)) {
          error(problem.kind, at(problem.path), problem.message, problem.kind === 'unknown_field');
        }
      }
      return;
    }
    const canonical = canonicalAssetValue(result.data.kind, result.data.value, parseNetworkTarget);
    if (!canonical.ok) {
      error('invalid_field', at(['value']), `${canonical.problem} for a ${result.data.kind}`);
      return;
    }
    const key = `${result.data.kind}:${canonical.value}`;
    if (seen.has(key)) {
      error('duplicate_asset', at(['value']), `${result.data.kind} ${canonical.value} is listed twice`);
      return;
    }
    seen.add(key);
    assets.push({
      kind: result.data.kind,
      value: canonical.value,
      operations: result.data.operations ?? null,
      reason: result.data.reason ?? null,
      createdBy: `file:${file}`,
    });
  });
  return { assets, diagnostics };
}
