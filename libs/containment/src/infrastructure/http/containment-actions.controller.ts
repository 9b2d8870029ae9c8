import { randomUUID } from 'node:crypto';

import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { z } from 'zod';

import { type AuthenticatedRequest, RequirePermission } from '@rampart/auth';
import { CONTAINMENT_OPERATIONS, MAX_EXPIRY_SECONDS } from '@rampart/connectors';
import { ApiDoc, ApiError, commaSeparated, ZodValidationPipe } from '@rampart/web';

import { ContainmentActionQueries } from '../../application/containment-action-queries';
import { ExecuteActionUseCase } from '../../application/execute-action.use-case';
import { ObserveActionUseCase } from '../../application/observe-action.use-case';
import { RollbackActionUseCase } from '../../application/rollback-action.use-case';
import { ACTION_STATES } from '../../domain/containment-action';
import { answeringContainmentErrors } from './containment-error.mapping';

const listQuery = z.strictObject({
  state: commaSeparated(z.enum(ACTION_STATES))
    .optional()
    .describe(`comma list: ${ACTION_STATES.join(', ')}`),
  operation: commaSeparated(z.enum(CONTAINMENT_OPERATIONS)).optional().describe('comma list of operations'),
  connector: z.string().min(1).max(128).optional().describe('connector instance name'),
  incidentId: z.uuid('must be an incident id (uuid)').optional().describe('actions taken for this incident'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(300).optional().describe('nextCursor of the previous page'),
});

const actionId = z.uuid('must be an action id (uuid)');
const reason = z.string().trim().min(1).max(2000);

export const executeActionBody = z.strictObject({
  connector: z.string().min(1).max(128),
  operation: z.enum(CONTAINMENT_OPERATIONS),
  target: z.string().min(1).max(2000),
  expiresInSeconds: z.number().int().min(1).max(MAX_EXPIRY_SECONDS).optional(),
  incidentId: z.uuid('must be an incident id (uuid)').optional(),
  /** Omitted = a fresh random key: the request is then not safe to retry. */
  idempotencyKey: z
    .string()
    .regex(/^[A-Za-z0-9._:@-]{1,128}$/, '1-128 characters of A-Z a-z 0-9 . _ : @ -')
    .optional(),
  reason: reason.optional(),
});

export const rollbackActionBody = z.strictObject({ reason: reason.optional() }).optional();

/** Containment actions: list and read, vendor state, execute and roll back (see PERMISSION_MATRIX). */
@Controller('api/v1/actions')
export class ContainmentActionsController {
  constructor(
    private readonly queries: ContainmentActionQueries,
    private readonly executeAction: ExecuteActionUseCase,
    private readonly rollbackAction: RollbackActionUseCase,
    private readonly observeAction: ObserveActionUseCase,
  ) {}

  @Get()
  @RequirePermission('actions:read')
  @ApiDoc({
    summary: 'Containment actions, newest first',
    responses: { 200: 'a page of actions: {items, nextCursor}' },
  })
  async list(@Query(new ZodValidationPipe(listQuery, 'query')) query: z.output<typeof listQuery>) {
    return answeringContainmentErrors(() => this.queries.list(query), { cursor: 'query' });
  }

  @Get(':id')
  @RequirePermission('actions:read')
  @ApiDoc({ summary: 'One action with its rollbacks', responses: { 200: 'the action' }, errors: [404] })
  async get(@Param('id', new ZodValidationPipe(actionId, 'param')) id: string) {
    const action = await this.queries.get(id);
    if (!action)
      throw new ApiError(HttpStatus.NOT_FOUND, 'action_not_found', `no action ${id}`, { field: 'param.id' });
    return action;
  }

  /** What the vendor shows now for the action's change; read-only, the record is not changed. */
  @Get(':id/vendor-state')
  @RequirePermission('actions:vendor_state')
  @ApiDoc({
    summary:
      'Ask the vendor now whether the action is in force: ' +
      '{actionId, connector, operation, target, observed: applied | not_applied | unknown | indeterminate, ' +
      'vendorStatus?, detail?, error?, checkedAt}; read-only',
    responses: { 200: 'what the vendor shows' },
    errors: [404, 429],
  })
  async vendorState(@Param('id', new ZodValidationPipe(actionId, 'param')) id: string) {
    return answeringContainmentErrors(() => this.observeAction.execute(id), { id: 'param' });
  }

  /** 201 with the new record, 200 with the stored one when the idempotency key is known. */
  @Post()
  @RequirePermission('actions:execute')
  @ApiDoc({
    summary: 'Execute a containment action once per idempotency key, after its guardrails',
    description:
      '201 for a new action (state `joined` when the same change was already in force or in flight: no second ' +
      'vendor call); 200 with the stored record when the key was seen; 409 `idempotency_key_reused` when the key ' +
      'was used for another request, `protected_asset` when a protected asset forbids it (recorded as refused, ' +
      '`details.action`), `blast_radius_exceeded` when a limit of GUARDRAIL_LIMITS is reached (`details.limit`).',
    responses: { 201: 'the action record', 200: 'the stored record' },
    errors: [404, 409],
  })
  async execute(
    @Body(new ZodValidationPipe(executeActionBody)) body: z.output<typeof executeActionBody>,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) response: Response,
  ) {
    const { action, created } = await answeringContainmentErrors(() =>
      this.executeAction.execute({
        ...body,
        idempotencyKey: body.idempotencyKey ?? `api:${randomUUID()}`,
        requestedBy: request.principal?.name ?? 'unknown',
      }),
    );
    if (action.state === 'refused') {
      throw new ApiError(
        HttpStatus.CONFLICT,
        'protected_asset',
        action.errorMessage ?? 'a protected asset forbids this',
        {
          field: 'body.target',
          details: { action, rule: action.details.rule },
        },
      );
    }
    response.status(created ? HttpStatus.CREATED : HttpStatus.OK);
    return action;
  }

  @Post(':id/rollback')
  @RequirePermission('actions:rollback')
  @ApiDoc({
    summary: 'Undo an action through its connector; idempotent',
    responses: { 200: 'the action after the rollback' },
    errors: [404, 409],
  })
  @HttpCode(HttpStatus.OK)
  async rollback(
    @Param('id', new ZodValidationPipe(actionId, 'param')) id: string,
    @Body(new ZodValidationPipe(rollbackActionBody)) body: z.output<typeof rollbackActionBody>,
    @Req() request: AuthenticatedRequest,
  ) {
    await answeringContainmentErrors(
      () =>
        this.rollbackAction.execute({
          actionId: id,
          requestedBy: request.principal?.name ?? 'unknown',
          ...(body?.reason !== undefined ? { reason: body.reason } : {}),
        }),
      { id: 'param' },
    );
    return this.get(id);
  }
}
