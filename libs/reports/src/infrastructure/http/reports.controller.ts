import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { z } from 'zod';

import { RequirePermission } from '@rampart/auth';
import { ApiDoc, ZodValidationPipe } from '@rampart/web';

import { GenerateReportUseCase } from '../../application/generate-report.use-case';
import { ReportQueries } from '../../application/report-queries';
import { REPORT_FORMATS, REPORT_KINDS } from '../../domain/report-kind';
import { answeringReportErrors } from './report-error.mapping';

export const generateReportBody = z.strictObject({
  kind: z.enum(REPORT_KINDS),
  format: z.enum(REPORT_FORMATS).describe('audit_trail: ndjson; the others: html, pdf, csv or json'),
  from: z.iso.datetime({ offset: true }).describe('start of the period (included)'),
  to: z.iso.datetime({ offset: true }).describe('end of the period (excluded)'),
});

const listQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});

const reportId = z.uuid('must be a report id (uuid)');

/** Compliance reports: generate for a period, list, download. */
@Controller('api/v1/reports')
export class ReportsController {
  constructor(
    private readonly generate: GenerateReportUseCase,
    private readonly queries: ReportQueries,
  ) {}

  @Post()
  @RequirePermission('reports:generate')
  @ApiDoc({
    summary:
      'Generate a report for a period (audited as report.generated); it carries a signed audit checkpoint',
    responses: { 201: 'the report, without its bytes (GET .../download)' },
  })
  async create(@Body(new ZodValidationPipe(generateReportBody)) body: z.output<typeof generateReportBody>) {
    return answeringReportErrors(() =>
      this.generate.execute({
        kind: body.kind,
        format: body.format,
        from: new Date(body.from),
        to: new Date(body.to),
      }),
    );
  }

  @Get()
  @RequirePermission('reports:read')
  @ApiDoc({ summary: 'Generated reports, newest first: {items, nextCursor}', responses: { 200: 'a page' } })
  async list(@Query(new ZodValidationPipe(listQuery, 'query')) query: z.output<typeof listQuery>) {
    return answeringReportErrors(() => this.queries.list(query.limit, query.cursor), { cursor: 'query' });
  }

  @Get(':id')
  @RequirePermission('reports:read')
  @ApiDoc({
    summary: 'A generated report (without its bytes)',
    responses: { 200: 'the report' },
    errors: [404],
  })
  async get(@Param('id', new ZodValidationPipe(reportId, 'param')) id: string) {
    return answeringReportErrors(() => this.queries.get(id), { id: 'param' });
  }

  @Get(':id/download')
  @RequirePermission('reports:read')
  @ApiDoc({
    summary: 'Download a report: HTML, PDF, CSV, JSON or NDJSON, as an attachment',
    responses: { 200: { description: 'the report bytes', contentType: 'application/octet-stream' } },
    errors: [404],
  })
  async download(
    @Param('id', new ZodValidationPipe(reportId, 'param')) id: string,
    @Res() response: Response,
  ) {
    const { view, content } = await answeringReportErrors(() => this.queries.download(id), { id: 'param' });
    response
      .status(200)
      .setHeader('Content-Type', view.contentType)
      .setHeader('Content-Disposition', `attachment; filename="${view.fileName}"`)
      .setHeader('X-Content-Type-Options', 'nosniff')
      // An HTML report opened from here runs nothing and loads nothing.
      .setHeader(
        'Content-Security-Policy',
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox",
      )
      .setHeader('X-Report-Sha256', view.sha256)
      .end(content);
  }
}
