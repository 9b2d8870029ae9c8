import { Injectable } from '@nestjs/common';

import {
  containingPattern,
  decodeKeysetCursor,
  encodeKeysetCursor,
  keysetCursorTime,
  SqlExecutor,
} from '@rampart/database';

import {
  type AlertDetail,
  AlertReader,
  type AlertSearchFilter,
  type AlertSummary,
  InvalidAlertCursorError,
} from '../application/alert-reader';
import { entityFilter, severityId, severityName, type SeverityId } from '../domain/normalized-alert';

const SUMMARY_COLUMNS = `a.id::text, a.event_time AS "time", a.received_at AS "receivedAt", a.intake, a.format,
  a.source, a.external_id AS "externalId", a.title, a.threat_name AS "threatName", a.severity_id AS "severityId",
  a.rule_name AS "ruleName", a.entities`;

interface SummaryRow extends Omit<AlertSummary, 'time' | 'receivedAt' | 'severity'> {
  time: Date;
  receivedAt: Date;
  cursorTime: string;
}

@Injectable()
export class SqlAlertReader extends AlertReader {
  constructor(private readonly sql: SqlExecutor) {
    super();
  }

  async get(id: string): Promise<AlertDetail | null> {
    const [row] = await this.sql.query<
      SummaryRow & {
        description: string | null;
        vendorSeverity: string | null;
        ruleId: string | null;
        tactics: AlertDetail['alert']['tactics'];
        techniques: AlertDetail['alert']['techniques'];
        customFields: AlertDetail['alert']['customFields'];
        original: string | null;
        raw: unknown;
      }
    >(
      `SELECT ${SUMMARY_COLUMNS}, NULL AS "cursorTime", a.description, a.vendor_severity AS "vendorSeverity",
              a.rule_id AS "ruleId", a.tactics, a.techniques, a.custom_fields AS "customFields", a.original, a.raw
         FROM alert a WHERE a.id = $1`,
      [id],
    );
    if (!row) return null;
    return {
      id: row.id,
      receivedAt: row.receivedAt.toISOString(),
      intake: row.intake,
      alert: {
        format: row.format,
        source: row.source,
        externalId: row.externalId,
        title: row.title,
        description: row.description,
        threatName: row.threatName,
        severityId: row.severityId as SeverityId,
        severity: severityName(row.severityId as SeverityId),
        vendorSeverity: row.vendorSeverity,
        time: row.time.toISOString(),
        ruleId: row.ruleId,
        ruleName: row.ruleName,
        tactics: row.tactics,
        techniques: row.techniques,
        entities: row.entities,
        customFields: row.customFields,
      },
      original: row.original,
      raw: row.raw,
    };
  }

  async search(filter: AlertSearchFilter): Promise<{ items: AlertSummary[]; nextCursor: string | null }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const bind = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    if (filter.from) where.push(`a.event_time >= ${bind(filter.from)}`);
    if (filter.to) where.push(`a.event_time <= ${bind(filter.to)}`);
    if (filter.format?.length) where.push(`a.format = ANY(${bind(filter.format)}::text[])`);
    if (filter.source) where.push(`a.source = ${bind(filter.source.toLowerCase())}`);
    if (filter.severity?.length)
      where.push(`a.severity_id = ANY(${bind(filter.severity.map(severityId))}::smallint[])`);
    if (filter.text) {
      const p = bind(containingPattern(filter.text));
      where.push(`(a.title ILIKE ${p} OR a.description ILIKE ${p} OR a.threat_name ILIKE ${p})`);
    }
    if (filter.entity) {
      const wanted = entityFilter(filter.entity);
      const clause =
        'key' in wanted ? `e.entity_key = ${bind(wanted.key)}` : `e.value = ${bind(wanted.value)}`;
      where.push(`EXISTS (SELECT 1 FROM alert_entity e WHERE e.alert_id = a.id AND ${clause})`);
    }
    if (filter.cursor) {
      const position = decodeKeysetCursor(filter.cursor);
      if (!position) throw new InvalidAlertCursorError('cursor is not one this API returned');
      where.push(`(a.event_time, a.id) < (${bind(position.time)}::timestamptz, ${bind(position.id)}::uuid)`);
    }
    const rows = await this.sql.query<SummaryRow>(
      `SELECT ${SUMMARY_COLUMNS}, ${keysetCursorTime('a.event_time')} AS "cursorTime"
         FROM alert a
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY a.event_time DESC, a.id DESC
        LIMIT ${bind(filter.limit + 1)}`,
      params,
    );
    const page = rows.slice(0, filter.limit);
    const last = page[page.length - 1];
    return {
      items: page.map(({ cursorTime: _cursorTime, ...row }) => ({
        ...row,
        time: row.time.toISOString(),
        receivedAt: row.receivedAt.toISOString(),
        severity: severityName(row.severityId as SeverityId),
      })),
      nextCursor: rows.length > filter.limit && last ? encodeKeysetCursor(last.cursorTime, last.id) : null,
    };
  }
}
