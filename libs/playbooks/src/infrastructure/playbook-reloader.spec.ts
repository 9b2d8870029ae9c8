import { mkdir, mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { AppConfig } from '@rampart/config';

import { PlaybookRegistry } from '../application/playbook-registry';
import { ValidatePlaybookUseCase } from '../application/validate-playbook.use-case';
import { sha256Hex } from '../domain';
import { DirectoryPlaybookFiles } from './directory-playbook-files';
import { PlaybookReloader } from './playbook-reloader';

const playbook = (id: string, extra = '') =>
  [
    `id: ${id}`,
    `name: ${id}`,
    'version: 1',
    'owner: soc',
    'trigger: { on: incident.created }',
    extra,
    'steps: [{ id: w, kind: wait, duration: 1m }]',
  ].join('\n');

/** Polls until `check` holds: the watch fires when the file system gets to it. */
async function eventually(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('PlaybookRegistry with PLAYBOOKS_DIR', () => {
  let directory: string;
  let registry: PlaybookRegistry;
  let reloader: PlaybookReloader;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'rampart-playbooks-'));
    const files = new DirectoryPlaybookFiles(AppConfig.fromEnvironment({ PLAYBOOKS_DIR: directory }));
    registry = new PlaybookRegistry(files);
    reloader = new PlaybookReloader(registry, files);
  });

  afterEach(async () => {
    reloader.onModuleDestroy();
    await rm(directory, { recursive: true, force: true });
  });

  it('loads every file at start: valid ones run, a bad one is listed with its problems and stops nothing', async () => {
    const good = playbook('good');
    await writeFile(join(directory, 'good.yaml'), good);
    await writeFile(join(directory, 'bad.yml'), playbook('bad', 'colour: red'));
    await writeFile(join(directory, 'notes.txt'), 'not a playbook');
    await reloader.onModuleInit();

    expect(registry.list().map((entry) => `${entry.id} ${entry.state}`)).toEqual([
      'bad invalid',
      'good valid',
    ]);
    expect(registry.get('good')?.hash).toBe(sha256Hex(Buffer.from(good)));
    expect(registry.get('bad')).toBeUndefined();
    expect(registry.entry('bad')?.diagnostics.map((d) => `${d.file}:${d.line} ${d.path} ${d.code}`)).toEqual([
      `${join(directory, 'bad.yml')}:6 colour unknown_field`,
    ]);
    expect(registry.validPlaybooks().map((p) => p.id)).toEqual(['good']);
  });

  it('follows the files: a change, a new file and a removed one are swapped in shortly after', async () => {
    await writeFile(join(directory, 'a.yaml'), playbook('a'));
    await reloader.onModuleInit();
    const first = registry.currentHash();

    await writeFile(join(directory, 'a.yaml'), playbook('a', 'description: changed'));
    await eventually(() => registry.get('a')?.description === 'changed', 'the changed file');
    expect(registry.currentHash()).not.toBe(first);

    await writeFile(join(directory, 'b.yaml'), playbook('b'));
    await eventually(() => registry.get('b') !== undefined, 'the new file');

    await unlink(join(directory, 'a.yaml'));
    await eventually(() => registry.entry('a') === undefined, 'the removed file');
    expect(registry.list().map((entry) => entry.id)).toEqual(['b']);
  });

  it('reports an unreadable directory instead of failing, and loads it once it appears', async () => {
    await rm(directory, { recursive: true });
    await reloader.onModuleInit();
    expect(registry.list()).toEqual([]);
    expect(registry.diagnostics().map((d) => d.code)).toEqual(['read_failed']);

    await mkdir(directory);
    await writeFile(join(directory, 'late.yaml'), playbook('late'));
    await reloader.reload(); // what the periodic rescan does
    expect(registry.get('late')?.id).toBe('late');
    expect(registry.diagnostics()).toEqual([]);
  });

  it('validates a file against the loaded playbooks, storing nothing', async () => {
    await writeFile(join(directory, 'leaf.yaml'), playbook('leaf'));
    await reloader.onModuleInit();
    const validate = new ValidatePlaybookUseCase(registry);
    const calling = playbook('caller').replace(
      'steps: [{ id: w, kind: wait, duration: 1m }]',
      'steps: [{ id: call, kind: playbook, playbook: leaf }]',
    );
    expect(validate.execute({ yaml: calling, file: 'caller.yaml' })).toMatchObject({
      valid: true,
      id: 'caller',
      diagnostics: [],
      playbook: { id: 'caller', steps: 1, trigger: 'on incident.created (once per incident)' },
    });
    const missing = validate.execute({
      yaml: calling.replace('playbook: leaf', 'playbook: nowhere'),
      file: 'x.yaml',
    });
    expect(missing.valid).toBe(false);
    expect(missing.diagnostics.map((d) => `${d.file}:${d.line} ${d.path} ${d.code}`)).toEqual([
      'x.yaml:7 steps[0].playbook unknown_playbook',
    ]);
    expect(registry.list().map((entry) => entry.id)).toEqual(['leaf']);
  });
});
