import { Injectable } from '@nestjs/common';

import { ReportWebhook } from '../../application/report-delivery';
import type { ReportView } from '../../application/report-store';

const TIMEOUT_MS = 30_000;

/**
 * POSTs the report bytes with what identifies them in headers (kind, period, SHA-256, and the
 * signed audit checkpoint as base64 JSON). Redirects are not followed.
 * Egress seam: the outbound URL policy (private, loopback, link-local destinations) belongs in
 * `post`, before the request.
 */
@Injectable()
export class HttpReportWebhook extends ReportWebhook {
  async post(url: string, report: ReportView, content: Buffer): Promise<number> {
    const response = await fetch(url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(TIMEOUT_MS),
      headers: {
        'Content-Type': report.contentType,
        'Content-Disposition': `attachment; filename="${report.fileName}"`,
        'X-Rampart-Report-Id': report.id,
        'X-Rampart-Report-Kind': report.kind,
        'X-Rampart-Report-Period': `${report.period.from}/${report.period.to}`,
        'X-Rampart-Report-Sha256': report.sha256,
        'X-Rampart-Audit-Checkpoint': Buffer.from(JSON.stringify(report.checkpoint)).toString('base64'),
      },
      body: content,
    });
    await response.arrayBuffer().catch(() => undefined);
    return response.status;
  }
}
