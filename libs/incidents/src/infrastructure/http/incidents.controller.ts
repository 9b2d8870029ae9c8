import { Body, Controller, Get, HttpStatus, Param, Patch, Query, Req } from '@nestjs/common';
import { z } from 'zod';

import { SEVERITY_NAMES, severityId } from '@rampart/alerts';
import { type AuthenticatedRequest, Roles } from '@rampart/auth';
import { ApiError, commaSeparated, ZodValidationPipe } from '@rampart/web';

import { ALERTS_IN_DETAIL, IncidentQueries, InvalidCursorError } from '../../application/incident-queries';
import { IncidentError, UpdateIncidentUseCase } from '../../application/update-incident.use-case';
import { INCIDENT_STATUSES, SETTABLE_STATUSES } from '../../domain/incident-status';

const listQuery = z
  .object({
    status: commaSeparated(z.enum(INCIDENT_STATUSES)).optional(),
    severity: commaSeparated(z.enum(SEVERITY_NAMES)).optional(),
    entity: z.string().min(1).max(512).optional(),
    assignee: z.string().min(1).max(200).optional(),
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(200).optional(),
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

@Controller('api/v1/incidents')
export class IncidentsController {
  constructor(
    private readonly queries: IncidentQueries,
    private readonly update: UpdateIncidentUseCase,
  ) {}

  @Get()
  @Roles('analyst', 'auditor')
  async list(@Query(new ZodValidationPipe(listQuery, 'query')) query: z.output<typeof listQuery>) {
    return answeringCursorErrors(() =>
      this.queries.list({
        status: query.status,
        severity: query.severity?.map(severityId),
        entity: query.entity,
        assignee: query.assignee,
        from: query.from ? new Date(query.from) : undefined,
        to: query.to ? new Date(query.to) : undefined,
        limit: query.limit,
        cursor: query.cursor,
      }),
    );
  }

  /** All of an incident's alerts in event-time order; the detail shows the first 1000. */
  @Get(':id/alerts')
  @Roles('analyst', 'auditor')
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
  @Roles('analyst', 'auditor')
  async get(@Param('id', new ZodValidationPipe(incidentId, 'param')) id: string) {
    const incident = await this.queries.get(id);
    if (!incident)
      throw new ApiError(HttpStatus.NOT_FOUND, 'not_found', `no incident ${id}`, { field: 'param.id' });
    return incident;
  }

  @Patch(':id')
  @Roles('analyst')
  async patch(
    @Param('id', new ZodValidationPipe(incidentId, 'param')) id: string,
    @Body(new ZodValidationPipe(updateIncidentBody)) body: z.output<typeof updateIncidentBody>,
    @Req() request: AuthenticatedRequest,
  ) {
    try {
      await this.update.execute({ incidentId: id, actor: request.principal?.name ?? 'unknown', ...body });
    } catch (error) {
      if (error instanceof IncidentError) {
        throw new ApiError(
          error.status,
          error.code,
          error.message,
          error.field ? { field: error.field } : {},
        );
      }
      throw error;
    }
    return this.get(id);
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
