import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { playbookJsonSchema } from './playbook-schema';

describe('the published playbook schema', () => {
  it('docs/playbook.schema.json is the schema the loader validates with (npm run playbooks:schema)', () => {
    const published: unknown = JSON.parse(
      readFileSync(join(__dirname, '..', '..', '..', '..', 'docs', 'playbook.schema.json'), 'utf8'),
    );
    expect(published).toEqual(playbookJsonSchema());
  });

  it('names the step kinds and the condition once each, as shared definitions', () => {
    const schema = playbookJsonSchema() as {
      $defs: Record<string, { oneOf?: { properties: { kind: { const: string } } }[] }>;
    };
    expect(Object.keys(schema.$defs).sort()).toEqual(['Condition', 'Retry', 'Step']);
    expect(schema.$defs['Step']?.oneOf?.map((option) => option.properties.kind.const)).toEqual([
      'action',
      'condition',
      'parallel',
      'approval',
      'wait',
      'playbook',
      'set',
      'for_each',
      'incident',
    ]);
  });
});
