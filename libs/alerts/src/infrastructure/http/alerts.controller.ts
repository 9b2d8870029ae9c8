import { Controller, Get, HttpStatus, Param, Query } from '@nestjs/common';
import { z } from 'zod';

import { RequirePermission } from '@rampart/auth';
import { ApiDoc, ApiError, commaSeparated, ZodValidationPipe } from '@rampart/web';

import { AlertReader, InvalidAlertCursorError } from '../../application/alert-reader';
import { toOcsfDetectionFinding } from '../../domain/ocsf-detection-finding';
import { ALERT_FORMATS, ALERT_SEVERITY_NAMES } from '../../domain/normalized-alert';

export const searchAlertsQuery = z
  .object({
    entity: z
      .string()
      .min(1)
      .max(512)
      .optional()
      .describe('`type:value` (host:web-01, ip:10.0.0.5, user:corp\\jdoe) or a bare value'),
    from: z.iso.datetime({ offset: true }).optional().describe('event time from (inclusive)'),
    to: z.iso.datetime({ offset: true }).optional().describe('event time up to (inclusive)'),
    format: commaSeparated(z.enum(ALERT_FORMATS)).optional().describe('comma list of formats'),
    source: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .describe('exact source, e.g. suricata, cef:check-point:vpn-1-firewall-1'),
    severity: commaSeparated(z.enum(ALERT_SEVERITY_NAMES)).optional().describe('comma list of severities'),
    q: z.string().min(1).max(200).optional().describe('text in the title, description or threat name'),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z.string().max(200).optional().describe('nextCursor of the previous page'),
  })
  .strict();

const alertId = z.uuid('must be an alert id (uuid)');

const getAlertQuery = z
  .object({
    as: z.enum(['ocsf']).optional().describe('`ocsf`: the alert as an OCSF Detection Finding (class 2004)'),
  })
  .strict();

@Controller('api/v1/alerts')
export class AlertsController {
  constructor(private readonly alerts: AlertReader) {}

  @Get()
  @RequirePermission('alerts:read')
  @ApiDoc({
    summary: 'Search alerts, newest first',
    description:
      'By entity, event time range, format, source, severity and text; keyset paging with `nextCursor`.',
    responses: { 200: { description: 'a page: {items, nextCursor}' } },
  })
  async search(
    @Query(new ZodValidationPipe(searchAlertsQuery, 'query')) query: z.output<typeof searchAlertsQuery>,
  ) {
    try {
      return await this.alerts.search({
        entity: query.entity,
        from: query.from ? new Date(query.from) : undefined,
        to: query.to ? new Date(query.to) : undefined,
        format: query.format,
        source: query.source,
        severity: query.severity,
        text: query.q,
        limit: query.limit,
        cursor: query.cursor,
      });
    } catch (error) {
      if (error instanceof InvalidAlertCursorError) {
        throw new ApiError(HttpStatus.BAD_REQUEST, 'invalid_cursor', error.message, {
          field: 'query.cursor',
        });
      }
      throw error;
    }
  }

  @Get(':id')
  @RequirePermission('alerts:read')
  @ApiDoc({
    summary: 'One alert: the normalized alert and the original bytes as received',
    description: '`?as=ocsf` answers the alert as an OCSF Detection Finding (class 2004) instead.',
    responses: { 200: { description: '{id, receivedAt, intake, alert, original, raw}, or an OCSF finding' } },
    errors: [404],
  })
  async get(
    @Param('id', new ZodValidationPipe(alertId, 'param')) id: string,
    @Query(new ZodValidationPipe(getAlertQuery, 'query')) query: z.output<typeof getAlertQuery>,
  ) {
    const detail = await this.alerts.get(id);
    if (!detail)
      throw new ApiError(HttpStatus.NOT_FOUND, 'not_found', `no alert ${id}`, { field: 'param.id' });
    if (query.as === 'ocsf') {
      const { severity: _severity, ...alert } = detail.alert;
      return toOcsfDetectionFinding({
        id: detail.id,
        receivedAt: new Date(detail.receivedAt),
        alert: { ...alert, time: new Date(alert.time) },
      });
    }
    return detail;
  }
}
