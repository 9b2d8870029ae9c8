import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { z } from 'zod';

import { type AuthenticatedRequest, RequirePermission } from '@rampart/auth';
import { ApiDoc, ApiError, commaSeparated, ZodValidationPipe } from '@rampart/web';

import { CancelRunUseCase } from '../../application/runs/cancel-run.use-case';
import { DecideApprovalUseCase } from '../../application/runs/decide-approval.use-case';
import { DryRunPlaybookUseCase } from '../../application/runs/dry-run-playbook.use-case';
import { RunQueries } from '../../application/runs/run-queries';
import { StartRunUseCase } from '../../application/runs/start-run.use-case';
import { type Decider, PLAYBOOK_ID_PATTERN } from '../../domain';
import { answeringRunErrors } from './run-errors';

const RUN_STATUSES = ['running', 'succeeded', 'failed', 'cancelled'] as const;
const uuid = (what: string) => z.uuid(`must be ${what} id (uuid)`);

const listQuery = z.strictObject({
  incidentId: uuid('an incident').optional().describe('runs on this incident'),
  playbook: z.string().regex(PLAYBOOK_ID_PATTERN, 'must be a playbook id').optional(),
  status: commaSeparated(z.enum(RUN_STATUSES))
    .optional()
    .describe(`comma list: ${RUN_STATUSES.join(', ')}`),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(300).optional().describe('nextCursor of the previous page'),
});

const reason = z.string().trim().min(1).max(2000);
const cancelBody = z.strictObject({ reason: reason.optional() }).optional();
const decisionBody = z.strictObject({
  decision: z.enum(['approve', 'reject']),
  reason: reason.optional(),
});
const approvalParams = z.strictObject({
  id: uuid('a run'),
  step: z
    .string()
    .min(1)
    .max(300)
    .regex(/^[A-Za-z0-9._:@\-[\]]+$/, 'must be a step id, a step instance or an approval id')
    .describe('the step id, or the instance `<step>[<item>]` of a for_each, or the approval id'),
});
const approvalsQuery = z.strictObject({
  status: commaSeparated(z.enum(['pending', 'approved', 'rejected', 'withdrawn'])).optional(),
  incidentId: uuid('an incident').optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export const startRunBody = z.strictObject({
  playbook: z.string().regex(PLAYBOOK_ID_PATTERN, 'must be a playbook id'),
  dryRun: z.boolean().default(false).describe('true: the ordered actions it would take, touching no vendor'),
  inputs: z
    .record(z.string().min(1).max(64), z.unknown())
    .optional()
    .describe("the playbook's inputs, by name"),
});
const startRunQuery = z.strictObject({
  dryRun: z.enum(['true', 'false']).optional().describe('same as dryRun in the body'),
});

export function deciderOf(request: AuthenticatedRequest): Decider {
  const principal = request.principal;
  if (!principal) throw new ApiError(HttpStatus.UNAUTHORIZED, 'unauthenticated', 'no caller');
  const kind = (principal as { kind: string }).kind === 'user' ? 'user' : 'api_key';
  return { kind, name: principal.name, role: principal.role };
}

/** Playbook runs: list, detail, cancel, approval decisions, and the approvals inbox. */
@Controller('api/v1')
export class RunsController {
  constructor(
    private readonly queries: RunQueries,
    private readonly cancelRun: CancelRunUseCase,
    private readonly decideApproval: DecideApprovalUseCase,
    private readonly startRun: StartRunUseCase,
    private readonly dryRunPlaybook: DryRunPlaybookUseCase,
  ) {}

  @Get('runs')
  @RequirePermission('runs:read')
  @ApiDoc({ summary: 'Playbook runs, newest first', responses: { 200: '{items, nextCursor}' } })
  list(@Query(new ZodValidationPipe(listQuery, 'query')) query: z.output<typeof listQuery>) {
    return answeringRunErrors(() =>
      this.queries.list({
        limit: query.limit,
        ...(query.incidentId ? { incidentId: query.incidentId } : {}),
        ...(query.playbook ? { playbookId: query.playbook } : {}),
        ...(query.status ? { status: query.status } : {}),
        ...(query.cursor ? { cursor: query.cursor } : {}),
      }),
    );
  }

  @Get('runs/:id')
  @RequirePermission('runs:read')
  @ApiDoc({
    summary:
      'One run: its steps with inputs, outputs, errors and timings, approvals, actions, sub-runs, timeline',
    responses: { 200: 'the run' },
    errors: [404],
  })
  async get(@Param('id', new ZodValidationPipe(uuid('a run'), 'param')) id: string) {
    const run = await this.queries.get(id);
    if (!run)
      throw new ApiError(HttpStatus.NOT_FOUND, 'run_not_found', `no run ${id}`, { field: 'param.id' });
    return run;
  }

  @Post('runs/:id/cancel')
  @RequirePermission('runs:cancel')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiDoc({
    summary: 'Cancel a running run; actions already taken stay in force (roll them back through /actions)',
    responses: { 202: 'the cancellation is on its way to the run' },
    errors: [404, 409],
  })
  async cancel(
    @Param('id', new ZodValidationPipe(uuid('a run'), 'param')) id: string,
    @Body(new ZodValidationPipe(cancelBody)) body: z.output<typeof cancelBody>,
    @Req() request: AuthenticatedRequest,
  ) {
    await answeringRunErrors(() =>
      this.cancelRun.execute({
        runId: id,
        by: request.principal?.name ?? 'unknown',
        ...(body?.reason ? { reason: body.reason } : {}),
      }),
    );
    return { runId: id, status: 'cancelling' };
  }

  @Post('runs/:id/approvals/:step')
  @RequirePermission('runs:approve')
  @HttpCode(HttpStatus.OK)
  @ApiDoc({
    summary: "Approve or reject an approval a run waits for (only the step's approvers may)",
    responses: { 200: 'the approval, decided' },
    errors: [404, 409],
  })
  decide(
    @Param(new ZodValidationPipe(approvalParams, 'param')) params: z.output<typeof approvalParams>,
    @Body(new ZodValidationPipe(decisionBody)) body: z.output<typeof decisionBody>,
    @Req() request: AuthenticatedRequest,
  ) {
    return answeringRunErrors(() =>
      this.decideApproval.execute({
        runId: params.id,
        step: params.step,
        decision: body.decision === 'approve' ? 'approved' : 'rejected',
        by: deciderOf(request),
        ...(body.reason ? { reason: body.reason } : {}),
      }),
    );
  }

  @Get('approvals')
  @RequirePermission('runs:read')
  @ApiDoc({
    summary: 'Approvals, newest first (the approvals inbox: status=pending)',
    responses: { 200: '{items}' },
  })
  async approvals(
    @Query(new ZodValidationPipe(approvalsQuery, 'query')) query: z.output<typeof approvalsQuery>,
  ) {
    return {
      items: await this.queries.approvals({
        limit: query.limit,
        ...(query.status ? { status: query.status } : {}),
        ...(query.incidentId ? { incidentId: query.incidentId } : {}),
      }),
    };
  }

  @Post('incidents/:id/runs')
  @RequirePermission('runs:start')
  @ApiDoc({
    summary: 'Start a playbook on an incident by hand, or dry-run it',
    description:
      'dryRun: the exact ordered actions the playbook would take now, with rendered parameters and the ' +
      'guardrail or approval each would meet; no vendor is touched and nothing is recorded (200). ' +
      'Otherwise 201 with the new run.',
    responses: { 201: 'the run started', 200: 'the dry-run result' },
    errors: [404, 409],
  })
  async start(
    @Param('id', new ZodValidationPipe(uuid('an incident'), 'param')) incidentId: string,
    @Query(new ZodValidationPipe(startRunQuery, 'query')) query: z.output<typeof startRunQuery>,
    @Body(new ZodValidationPipe(startRunBody)) body: z.output<typeof startRunBody>,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) response: Response,
  ) {
    const command = {
      incidentId,
      playbookId: body.playbook,
      ...(body.inputs ? { inputs: body.inputs } : {}),
    };
    if (body.dryRun || query.dryRun === 'true') {
      response.status(HttpStatus.OK);
      return answeringRunErrors(() => this.dryRunPlaybook.execute(command));
    }
    const runId = await answeringRunErrors(() =>
      this.startRun.start({ ...command, startedBy: request.principal?.name ?? 'unknown' }),
    );
    response.status(HttpStatus.CREATED);
    return (await this.queries.get(runId)) ?? { id: runId };
  }

  @Get('incidents/:id/runs')
  @RequirePermission('runs:read')
  @ApiDoc({ summary: "An incident's playbook runs, newest first", responses: { 200: '{items, nextCursor}' } })
  incidentRuns(
    @Param('id', new ZodValidationPipe(uuid('an incident'), 'param')) incidentId: string,
    @Query(new ZodValidationPipe(listQuery.omit({ incidentId: true }), 'query'))
    query: z.output<typeof listQuery>,
  ) {
    return this.list({ ...query, incidentId });
  }
}
