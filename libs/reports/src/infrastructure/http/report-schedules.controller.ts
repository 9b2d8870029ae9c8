import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Put, Query } from '@nestjs/common';
import { z } from 'zod';

import { RequirePermission } from '@rampart/auth';
import { ApiDoc, ZodValidationPipe } from '@rampart/web';

import { ManageReportSchedulesUseCase } from '../../application/manage-report-schedules.use-case';
import { ReportScheduleQueries } from '../../application/report-schedule-queries';
import { scheduleDefinition } from '../scheduling/report-scheduler';
import { answeringReportErrors } from './report-error.mapping';

const scheduleName = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,62}$/i, 'letters, digits, . _ - (at most 63)');
export const createScheduleBody = scheduleDefinition;
export const replaceScheduleBody = scheduleDefinition.omit({ name: true });
const runsQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(50) });

/** Scheduled exports: a report kind and format on a cron schedule, to a directory and/or a webhook. */
@Controller('api/v1/report-schedules')
export class ReportSchedulesController {
  constructor(
    private readonly manage: ManageReportSchedulesUseCase,
    private readonly queries: ReportScheduleQueries,
  ) {}

  @Get()
  @RequirePermission('reports:read')
  @ApiDoc({ summary: 'Report schedules: {items}', responses: { 200: '{items}' } })
  async list() {
    return { items: await this.queries.list() };
  }

  @Post()
  @RequirePermission('report_schedules:manage')
  @ApiDoc({
    summary: 'Create a report schedule; each period it covers runs once, whatever the number of replicas',
    responses: { 201: 'the schedule' },
    errors: [409],
  })
  async create(@Body(new ZodValidationPipe(createScheduleBody)) body: z.output<typeof createScheduleBody>) {
    return answeringReportErrors(() => this.manage.create(body));
  }

  @Put(':name')
  @RequirePermission('report_schedules:manage')
  @ApiDoc({
    summary: 'Replace a report schedule (not one declared in REPORT_SCHEDULES_FILE)',
    responses: { 200: 'the schedule' },
    errors: [404, 409],
  })
  async replace(
    @Param('name', new ZodValidationPipe(scheduleName, 'param')) name: string,
    @Body(new ZodValidationPipe(replaceScheduleBody)) body: z.output<typeof replaceScheduleBody>,
  ) {
    return answeringReportErrors(() => this.manage.replace({ ...body, name }), { name: 'param' });
  }

  @Delete(':name')
  @RequirePermission('report_schedules:manage')
  @ApiDoc({ summary: 'Delete a report schedule', responses: { 204: 'deleted' }, errors: [404, 409] })
  @HttpCode(HttpStatus.NO_CONTENT)
  async remove(@Param('name', new ZodValidationPipe(scheduleName, 'param')) name: string) {
    await answeringReportErrors(() => this.manage.remove(name), { name: 'param' });
  }

  @Get(':name/runs')
  @RequirePermission('reports:read')
  @ApiDoc({
    summary: 'Runs of a schedule, latest period first: {items}',
    responses: { 200: '{items}' },
    errors: [404],
  })
  async runs(
    @Param('name', new ZodValidationPipe(scheduleName, 'param')) name: string,
    @Query(new ZodValidationPipe(runsQuery, 'query')) query: z.output<typeof runsQuery>,
  ) {
    return answeringReportErrors(async () => ({ items: await this.queries.runs(name, query.limit) }), {
      name: 'param',
    });
  }
}
