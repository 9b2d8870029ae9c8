import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { compileRuleSources, type RuleSource } from '../domain/rules/compile-correlation-rules';
import {
  type CompiledRuleSet,
  type RuleDiagnostic,
  RuleDiagnosticCode,
} from '../domain/rules/rule-diagnostic';

const RULE_FILE = /\.ya?ml$/i;

/**
 * Loads every `*.yaml` / `*.yml` file of `directory`, in file-name order, as one rule set. Never
 * throws: an unreadable directory or file, like any problem in a rule, comes back as a diagnostic
 * and the rules that are sound still load.
 */
export async function loadCorrelationRules(directory: string): Promise<CompiledRuleSet> {
  let names: string[];
  try {
    const entries = await readdir(directory, { withFileTypes: true });
    // Symbolic links count: a Kubernetes ConfigMap mounts each file as a link into `..data/`.
    names = entries
      .filter((entry) => (entry.isFile() || entry.isSymbolicLink()) && RULE_FILE.test(entry.name))
      .map((entry) => entry.name)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  } catch (error) {
    return {
      rules: [],
      diagnostics: [readFailed(directory, `cannot read the rules directory: ${reason(error)}`)],
    };
  }
  if (names.length === 0) {
    return {
      rules: [],
      diagnostics: [
        {
          severity: 'warning',
          code: RuleDiagnosticCode.NoRules,
          file: directory,
          line: null,
          path: '',
          message: 'no *.yaml or *.yml files in the rules directory',
        },
      ],
    };
  }

  const sources: RuleSource[] = [];
  const unreadable: RuleDiagnostic[] = [];
  for (const name of names) {
    const file = join(directory, name);
    try {
      sources.push({ file, text: await readFile(file, 'utf8') });
    } catch (error) {
      unreadable.push(readFailed(file, `cannot read the file: ${reason(error)}`));
    }
  }
  const compiled = compileRuleSources(sources);
  return { rules: compiled.rules, diagnostics: [...unreadable, ...compiled.diagnostics] };
}

function readFailed(file: string, message: string): RuleDiagnostic {
  return { severity: 'error', code: RuleDiagnosticCode.ReadFailed, file, line: null, path: '', message };
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
