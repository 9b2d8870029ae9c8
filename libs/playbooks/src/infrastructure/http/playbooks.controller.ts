import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { z } from 'zod';

import { RequirePermission } from '@rampart/auth';
import { ApiDoc, ApiError, ZodValidationPipe } from '@rampart/web';

import { PlaybookRegistry } from '../../application/playbook-registry';
import { ValidatePlaybookUseCase } from '../../application/validate-playbook.use-case';
import { describeTrigger, type LoadedPlaybook, PLAYBOOK_ID_PATTERN, playbookJsonSchema } from '../../domain';

const playbookParams = z
  .object({ id: z.string().regex(PLAYBOOK_ID_PATTERN, 'must be a playbook id') })
  .strict();

const validateBody = z
  .object({
    yaml: z.string().min(1).max(262_144).describe('the playbook file, as YAML text'),
    file: z
      .string()
      .min(1)
      .max(200)
      .regex(/^\P{Cc}+$/u, 'must be a file name without control characters')
      .optional()
      .describe('the name diagnostics show (default playbook.yaml)'),
  })
  .strict();

const diagnosticSchema = z.object({
  severity: z.enum(['error', 'warning']),
  code: z.string(),
  file: z.string(),
  line: z.number().int().nullable(),
  column: z.number().int().optional(),
  path: z.string(),
  message: z.string(),
});

const validationSchema = z.object({
  valid: z.boolean(),
  id: z.string().nullable(),
  hash: z.string(),
  diagnostics: z.array(diagnosticSchema),
  playbook: z
    .object({
      id: z.string(),
      name: z.string(),
      version: z.number(),
      enabled: z.boolean(),
      trigger: z.string(),
      steps: z.number(),
    })
    .nullable(),
});

/** `/api/v1/playbooks`: the loaded playbooks, their schema, and validation of a playbook file. */
@Controller('api/v1/playbooks')
export class PlaybooksController {
  constructor(
    private readonly registry: PlaybookRegistry,
    private readonly validatePlaybook: ValidatePlaybookUseCase,
  ) {}

  @Get()
  @RequirePermission('playbooks:read')
  @ApiDoc({
    summary: 'The playbooks of PLAYBOOKS_DIR, each with its validation state, content hash and trigger',
    responses: { 200: '{hash, loadedAt, items}: hash changes whenever any playbook file does' },
  })
  list() {
    return {
      hash: this.registry.currentHash(),
      loadedAt: this.registry.loadedAt()?.toISOString() ?? null,
      items: this.registry.list().map(summary),
    };
  }

  // Before `:id`: playbook ids cannot contain a dot, so this path is never a playbook's.
  @Get('schema.json')
  @RequirePermission('playbooks:read')
  @ApiDoc({
    summary: 'The JSON Schema of a playbook file (also docs/playbook.schema.json)',
    responses: {
      200: { description: 'a JSON Schema (draft 2020-12)', contentType: 'application/schema+json' },
    },
  })
  schema() {
    return playbookJsonSchema();
  }

  @Get(':id')
  @RequirePermission('playbooks:read')
  @ApiDoc({
    summary: 'One playbook: its YAML, its diagnostics and (when valid) its compiled form',
    responses: { 200: 'the playbook' },
    errors: [404],
  })
  get(@Param(new ZodValidationPipe(playbookParams, 'param')) { id }: z.output<typeof playbookParams>) {
    const entry = this.registry.entry(id);
    if (entry === undefined) {
      throw new ApiError(HttpStatus.NOT_FOUND, 'not_found', `no playbook ${id}`, { field: 'param.id' });
    }
    return { ...summary(entry), yaml: entry.source, compiled: entry.playbook };
  }

  @Post('validate')
  @HttpCode(HttpStatus.OK)
  @RequirePermission('playbooks:validate')
  @ApiDoc({
    summary:
      'Validate a playbook file as the loader would (against the playbooks loaded now); stores nothing',
    description: 'Answers 200 whether the playbook is valid or not: `valid` and `diagnostics` say which.',
    responses: { 200: { description: 'the validation', schema: validationSchema } },
    changesState: false,
  })
  validate(@Body(new ZodValidationPipe(validateBody)) body: z.output<typeof validateBody>) {
    return this.validatePlaybook.execute({ yaml: body.yaml, file: body.file ?? 'playbook.yaml' });
  }
}

function summary(entry: LoadedPlaybook) {
  const playbook = entry.playbook;
  return {
    id: entry.id,
    file: entry.file,
    hash: entry.hash,
    state: entry.state,
    name: playbook?.name ?? null,
    version: playbook?.version ?? null,
    description: playbook?.description ?? null,
    owner: playbook?.owner ?? null,
    enabled: playbook?.enabled ?? null,
    trigger: playbook === null ? null : describeTrigger(playbook),
    errors: entry.diagnostics.filter((diagnostic) => diagnostic.severity === 'error').length,
    warnings: entry.diagnostics.filter((diagnostic) => diagnostic.severity === 'warning').length,
    diagnostics: entry.diagnostics,
  };
}
