import { Body, Controller, Get, HttpCode, HttpStatus, Param, Patch, Post, Query, Req } from '@nestjs/common';
import { z } from 'zod';

import { ALERT_SEVERITY_NAMES, SEVERITY_NAMES, severityId } from '@rampart/alerts';
import { type AuthenticatedRequest, RequirePermission } from '@rampart/auth';
import { ApiDoc, ApiError, commaSeparated, ZodValidationPipe } from '@rampart/web';

import { AddIncidentCommentUseCase } from '../../application/add-incident-comment.use-case';
import { ALERTS_IN_DETAIL, IncidentQueries, InvalidCursorError } from '../../application/incident-queries';
import { IncidentError, UpdateIncidentUseCase } from '../../application/update-incident.use-case';
import { parseIncidentSearch } from '../../domain/incident-search';
import { INCIDENT_STATUSES, SETTABLE_STATUSES } from '../../domain/incident-status';

const listQuery = z
  .object({
    status: commaSeparated(z.enum(INCIDENT_STATUSES))
      .optional()
      .describe('comma list; default all but merged'),
    severity: commaSeparated(z.enum(ALERT_SEVERITY_NAMES))
      .optional()
      .describe('comma list of severities (unknown: made only of alerts of unknown severity)'),
    entity: z.string().min(1).max(512).optional().describe('`type:value` (host:web-01) or a bare value'),
    assignee: z.string().min(1).max(200).optional().describe('exact assignee'),
    q: z
      .string()
      .max(200)
      .optional()
      .describe('`#42` (or `42`): that incident; otherwise words that must all appear in the title'),
    from: z.iso.datetime({ offset: true }).optional().describe('activity overlapping from this time'),
    to: z.iso.datetime({ offset: true }).optional().describe('activity overlapping up to this time'),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(200).optional().describe('nextCursor of the previous page'),
  })
  .strict();

const alertsQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(ALERTS_IN_DETAIL).default(200),
    cursor: z.string().max(200).optional(),
  })
  .strict();

const incidentId = z.uuid('must be an incident id (uuid)');

export const updateIncidentBody = z
  .object({
    status: z.enum(SETTABLE_STATUSES).optional(),
    assignee: z.string().trim().min(1).max(200).nullable().optional(),
    severity: z.enum(SEVERITY_NAMES).optional(),
  })
  .strict()
  .refine((body) => Object.keys(body).length > 0, 'give at least one of status, assignee, severity');

export const incidentCommentBody = z
  .object({
    text: z.string().trim().min(1, 'write something').max(10_000).describe('the comment, plain text'),
  })
  .strict();

@Controller('api/v1/incidents')
export class IncidentsController {
  constructor(
    private readonly queries: IncidentQueries,
    private readonly update: UpdateIncidentUseCase,
    private readonly comment: AddIncidentCommentUseCase,
  ) {}

  @Get()
  @RequirePermission('incidents:read')
  @ApiDoc({
    summary: 'List incidents, newest first',
    responses: { 200: { description: 'a page: {items, nextCursor}' } },
  })
  async list(@Query(new ZodValidationPipe(listQuery, 'query')) query: z.output<typeof listQuery>) {
    return answeringCursorErrors(() =>
      this.queries.list({
        status: query.status,
        severity: query.severity?.map(severityId),
        entity: query.entity,
        assignee: query.assignee,
        ...parseIncidentSearch(query.q),
        from: query.from ? new Date(query.from) : undefined,
        to: query.to ? new Date(query.to) : undefined,
        limit: query.limit,
        cursor: query.cursor,
      }),
    );
  }

  /** All of an incident's alerts in event-time order; the detail shows the first 1000. */
  @Get(':id/alerts')
  @RequirePermission('incidents:read')
  @ApiDoc({
    summary: "An incident's alerts in event-time order, a page at a time",
    responses: { 200: '{items, nextCursor}' },
    errors: [404],
  })
  async alerts(
    @Param('id', new ZodValidationPipe(incidentId, 'param')) id: string,
    @Query(new ZodValidationPipe(alertsQuery, 'query')) query: z.output<typeof alertsQuery>,
  ) {
    const page = await answeringCursorErrors(() =>
      this.queries.alerts(id, { limit: query.limit, ...(query.cursor ? { cursor: query.cursor } : {}) }),
    );
    if (!page)
      throw new ApiError(HttpStatus.NOT_FOUND, 'not_found', `no incident ${id}`, { field: 'param.id' });
    return page;
  }

  @Get(':id')
  @RequirePermission('incidents:read')
  @ApiDoc({
    summary:
      'An incident with its alerts (the first 1000 by event time; alertsNextCursor pages on with ' +
      '/alerts), entities, rule matches, actions and timeline',
    responses: { 200: 'the incident' },
    errors: [404],
  })
  async get(@Param('id', new ZodValidationPipe(incidentId, 'param')) id: string) {
    const incident = await this.queries.get(id);
    if (!incident)
      throw new ApiError(HttpStatus.NOT_FOUND, 'not_found', `no incident ${id}`, { field: 'param.id' });
    return incident;
  }

  @Patch(':id')
  @RequirePermission('incidents:update')
  @ApiDoc({
    summary: 'Change status (lifecycle transitions only), assignee or severity',
    responses: { 200: 'the incident after the change' },
    errors: [404, 409],
  })
  async patch(
    @Param('id', new ZodValidationPipe(incidentId, 'param')) id: string,
    @Body(new ZodValidationPipe(updateIncidentBody)) body: z.output<typeof updateIncidentBody>,
    @Req() request: AuthenticatedRequest,
  ) {
    await answeringIncidentErrors(() =>
      this.update.execute({ incidentId: id, actor: request.principal?.name ?? 'unknown', ...body }),
    );
    return this.get(id);
  }

  @Post(':id/comments')
  @RequirePermission('incidents:comment')
  @ApiDoc({
    summary: 'Comment on an incident (any status); the detail lists comments, the timeline notes them',
    responses: { 201: 'the comment: {id, author, body, createdAt}' },
    errors: [404],
  })
  @HttpCode(HttpStatus.CREATED)
  async addComment(
    @Param('id', new ZodValidationPipe(incidentId, 'param')) id: string,
    @Body(new ZodValidationPipe(incidentCommentBody)) body: z.output<typeof incidentCommentBody>,
    @Req() request: AuthenticatedRequest,
  ) {
    return answeringIncidentErrors(() =>
      this.comment.execute({ incidentId: id, author: request.principal?.name ?? 'unknown', body: body.text }),
    );
  }
}

async function answeringIncidentErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof IncidentError) {
      throw new ApiError(error.status, error.code, error.message, error.field ? { field: error.field } : {});
    }
    throw error;
  }
}

async function answeringCursorErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof InvalidCursorError) {
      throw new ApiError(HttpStatus.BAD_REQUEST, 'invalid_cursor', error.message, { field: 'query.cursor' });
    }
    throw error;
  }
}
