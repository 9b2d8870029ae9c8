import { Injectable } from '@nestjs/common';

import { SqlExecutor } from '@rampart/database';

import { NewReport, ReportStore, ReportView } from '../../application/report-store';

const VIEW = `id::text AS id, kind, format,
  jsonb_build_object('from', to_char(period_from AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                     'to', to_char(period_to AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) AS period,
  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "createdAt",
  requested_by AS "requestedBy", schedule_id::text AS "scheduleId", file_name AS "fileName",
  content_type AS "contentType", size_bytes AS "sizeBytes", sha256, checkpoint`;

@Injectable()
export class SqlReportStore extends ReportStore {
  constructor(private readonly sql: SqlExecutor) {
    super();
  }

  async insert(sql: SqlExecutor, report: NewReport): Promise<ReportView> {
    const [view] = await sql.query<ReportView>(
      `INSERT INTO report (id, kind, format, period_from, period_to, requested_by, schedule_id, file_name,
                           content_type, size_bytes, sha256, checkpoint, content)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::jsonb, $13)
       RETURNING ${VIEW}`,
      [
        report.id,
        report.kind,
        report.format,
        report.period.from,
        report.period.to,
        report.requestedBy,
        report.scheduleId,
        report.fileName,
        report.contentType,
        report.sizeBytes,
        report.sha256,
        JSON.stringify(report.checkpoint),
        report.content,
      ],
    );
    return view as ReportView;
  }

  async find(id: string): Promise<ReportView | null> {
    const [view] = await this.sql.query<ReportView>(`SELECT ${VIEW} FROM report WHERE id = $1`, [id]);
    return view ?? null;
  }

  async content(id: string): Promise<{ view: ReportView; content: Buffer } | null> {
    const [row] = await this.sql.query<ReportView & { content: Buffer }>(
      `SELECT ${VIEW}, content FROM report WHERE id = $1`,
      [id],
    );
    if (!row) return null;
    const { content, ...view } = row;
    return { view, content };
  }

  list(limit: number, before?: { createdAt: string; id: string }): Promise<ReportView[]> {
    return this.sql.query<ReportView>(
      `SELECT ${VIEW} FROM report
        WHERE $2::timestamptz IS NULL OR (created_at, id) < ($2::timestamptz, $3::uuid)
        ORDER BY created_at DESC, id DESC LIMIT $1`,
      [limit, before?.createdAt ?? null, before?.id ?? null],
    );
  }
}
