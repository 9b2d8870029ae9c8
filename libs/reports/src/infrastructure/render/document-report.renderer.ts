import { Injectable } from '@nestjs/common';

import { AppConfig } from '@rampart/config';
import { TemplateRenderer } from '@rampart/templates';

import { type DocumentFormat, ReportRenderer } from '../../application/report-renderer';
import { reportCsv } from '../../domain/csv';
import { humanDuration } from '../../domain/duration-stats';
import type { ReportCheckpoint, ReportDocument, ReportSection } from '../../domain/report-document';
import { barChartSvg } from '../../domain/svg-chart';
import { renderPdf } from './pdf-layout';
import { TemplateFiles } from './template-files';

/**
 * HTML through the Handlebars templates (`<kind>.html.hbs`, else `report.html.hbs`), PDF drawn
 * with pdfkit (pure JavaScript: no browser), CSV from the tables, JSON from the data. Every format
 * says the same summary (`<kind>.summary.hbs`) and carries the signed audit checkpoint.
 */
@Injectable()
export class DocumentReportRenderer extends ReportRenderer {
  private readonly html = new TemplateRenderer({ escape: 'html' });
  private readonly text = new TemplateRenderer();
  private readonly templates: TemplateFiles;

  constructor(config: AppConfig) {
    super();
    this.templates = new TemplateFiles(config.env.REPORT_TEMPLATES_DIR);
  }

  async render(
    document: ReportDocument,
    format: DocumentFormat,
    checkpoint: ReportCheckpoint,
  ): Promise<Buffer> {
    const summary = this.summary(document);
    const sections = [...document.sections, checkpointSection(checkpoint)];
    switch (format) {
      case 'html':
        return Buffer.from(this.renderHtml(document, summary, checkpoint), 'utf8');
      case 'pdf':
        return renderPdf({ ...document, sections: document.sections }, summary, checkpoint);
      case 'csv':
        return Buffer.from(reportCsv(sections), 'utf8');
      case 'json':
        return Buffer.from(
          `${JSON.stringify(
            {
              report: {
                kind: document.kind,
                title: document.title,
                period: document.period,
                generatedAt: document.generatedAt,
                generatedBy: document.generatedBy,
              },
              summary,
              data: document.data,
              checkpoint,
            },
            null,
            2,
          )}\n`,
          'utf8',
        );
    }
  }

  private summary(document: ReportDocument): string[] {
    const template = this.templates.read(`${document.kind}.summary.hbs`);
    if (template === null) return [];
    const timeTo = (document.facts.timeTo ?? {}) as Record<string, { meanMs: number | null }>;
    const human = Object.fromEntries(
      Object.entries(timeTo).map(([phase, stats]) => [phase, humanDuration(stats.meanMs)]),
    );
    return this.text
      .render(template, { facts: document.facts, human, title: document.title, period: document.period })
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
  }

  private renderHtml(document: ReportDocument, summary: string[], checkpoint: ReportCheckpoint): string {
    const template =
      this.templates.read(`${document.kind}.html.hbs`) ?? this.templates.require('report.html.hbs');
    return this.html.render(template, {
      title: document.title,
      period: document.period,
      generatedAt: document.generatedAt,
      generatedBy: document.generatedBy,
      summary,
      facts: document.facts,
      sections: document.sections.map((section) => ({
        id: section.id,
        heading: section.heading,
        note: section.note ?? null,
        // Our own markup, its text escaped by barChartSvg: inserted raw ({{{chartSvg}}}).
        chartSvg: section.chart ? barChartSvg(section.chart) : null,
        table: section.table
          ? {
              columns: section.table.columns.map((column) => column.label),
              rows: section.table.rows.map((row) =>
                section.table!.columns.map((column) =>
                  row[column.key] === null ? '' : String(row[column.key] ?? ''),
                ),
              ),
            }
          : null,
      })),
      checkpoint,
    });
  }
}

function checkpointSection(checkpoint: ReportCheckpoint): ReportSection {
  return {
    id: 'checkpoint',
    heading: 'Signed audit checkpoint',
    table: {
      columns: [
        { key: 'field', label: 'Field' },
        { key: 'value', label: 'Value' },
      ],
      rows: [
        { field: 'entry', value: checkpoint.seq },
        { field: 'sha256', value: checkpoint.hash },
        { field: 'signedAt', value: checkpoint.at },
        { field: 'keyId', value: checkpoint.keyId },
        { field: 'publicKey', value: checkpoint.publicKey },
        { field: 'signature', value: checkpoint.signature },
      ],
    },
  };
}
