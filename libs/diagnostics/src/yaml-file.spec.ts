import { type Diagnostic, formatDiagnostic, hasErrors, sortByLine } from './diagnostic';
import { diagnosticInYaml, parseYamlFile } from './yaml-file';

describe('parseYamlFile', () => {
  it('gives the plain data of sound YAML and no diagnostics', () => {
    const parsed = parseYamlFile('steps:\n  - id: a\n', 'p.yaml', 'yaml_syntax');
    expect(parsed).toMatchObject({ ok: true, data: { steps: [{ id: 'a' }] }, diagnostics: [] });
  });

  it('reports a syntax error on its line instead of throwing', () => {
    const parsed = parseYamlFile('a: 1\nb: [unclosed\n', 'p.yaml', 'yaml_syntax');
    expect(parsed.ok).toBe(false);
    expect(parsed.diagnostics[0]).toMatchObject({
      severity: 'error',
      code: 'yaml_syntax',
      file: 'p.yaml',
      path: '',
    });
    expect(parsed.diagnostics[0]?.line).toBeGreaterThanOrEqual(2);
  });

  it('refuses duplicate keys, which would otherwise silently drop one value', () => {
    const parsed = parseYamlFile('id: a\nid: b\n', 'p.yaml', 'yaml_syntax');
    expect(parsed.ok).toBe(false);
    expect(parsed.diagnostics.map((d) => `${d.line} ${d.code}`)).toEqual(['2 yaml_syntax']);
  });

  it('reports an unresolved alias, which only fails on conversion', () => {
    const parsed = parseYamlFile('a: *nowhere\n', 'p.yaml', 'yaml_syntax');
    expect(parsed.ok).toBe(false);
    expect(hasErrors(parsed.diagnostics)).toBe(true);
  });
});

describe('diagnosticInYaml', () => {
  const text = ['steps:', '  - id: a', '    kind: action', '    colour: blue'].join('\n');
  const parsed = parseYamlFile(text, 'p.yaml', 'yaml_syntax');
  if (!parsed.ok) throw new Error('fixture must parse');

  it('places a finding on the line and column of its node', () => {
    const finding = {
      severity: 'error',
      code: 'invalid_field',
      path: ['steps', 0, 'kind'],
      message: 'bad',
    } as const;
    expect(diagnosticInYaml(parsed.yaml, finding, { column: true })).toEqual({
      severity: 'error',
      code: 'invalid_field',
      file: 'p.yaml',
      line: 3,
      column: 11,
      path: 'steps[0].kind',
      message: 'bad',
    });
    expect(diagnosticInYaml(parsed.yaml, finding)).not.toHaveProperty('column');
  });

  it('points at the key for a field that should not be there, and at the entry for a missing one', () => {
    const unknown = {
      severity: 'error',
      code: 'unknown_field',
      path: ['steps', 0, 'colour'],
      message: 'x',
      atKey: true,
    } as const;
    expect(diagnosticInYaml(parsed.yaml, unknown, { column: true })).toMatchObject({ line: 4, column: 5 });
    const missing = {
      severity: 'error',
      code: 'missing_field',
      path: ['steps', 0, 'name'],
      message: 'x',
    } as const;
    expect(diagnosticInYaml(parsed.yaml, missing).line).toBe(2);
  });
});

describe('formatDiagnostic', () => {
  const diagnostic: Diagnostic = {
    severity: 'warning',
    code: 'no_steps',
    file: 'playbooks/x.yaml',
    line: 7,
    path: 'steps',
    message: 'nothing to do',
  };

  it('adds the column after the line when known', () => {
    expect(formatDiagnostic({ ...diagnostic, column: 3 })).toBe(
      'playbooks/x.yaml:7:3 steps: warning no_steps: nothing to do',
    );
    expect(formatDiagnostic({ ...diagnostic, line: null, column: 3 })).toBe(
      'playbooks/x.yaml steps: warning no_steps: nothing to do',
    );
  });

  it('sorts by line, keeping the order of findings on one line', () => {
    const at = (line: number | null, message: string) => ({ ...diagnostic, line, message });
    expect(sortByLine([at(3, 'a'), at(1, 'b'), at(3, 'c'), at(null, 'd')]).map((d) => d.message)).toEqual([
      'd',
      'b',
      'a',
      'c',
    ]);
  });
});
