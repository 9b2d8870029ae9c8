import PDFDocument from 'pdfkit';

import type { BarChart, ReportCheckpoint, ReportDocument, ReportTable } from '../../domain/report-document';

const MARGIN = 40;
const INK = '#1d2330';
const MUTED = '#5a6272';
const BAR = '#2f6db5';

/**
 * The report as a PDF drawn with pdfkit's standard fonts: pure JavaScript, so it works after
 * `npm ci` alone. Text stays text (pdftotext reads it back); charts are vector bars.
 */
export function renderPdf(
  document: ReportDocument,
  summary: string[],
  checkpoint: ReportCheckpoint,
): Promise<Buffer> {
  const pdf = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin: MARGIN,
    info: { Title: document.title, Author: 'Rampart', CreationDate: new Date(document.generatedAt) },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
  pdf.fillColor(INK).font('Helvetica-Bold').fontSize(18).text(document.title);
  pdf
    .font('Helvetica')
    .fontSize(9)
    .fillColor(MUTED)
    .text(
      `Period ${document.period.from} to ${document.period.to}. Generated ${document.generatedAt} by ${document.generatedBy}.`,
    );
  pdf.moveDown();
  pdf.fillColor(INK).fontSize(11);
  for (const line of summary) pdf.text(line).moveDown(0.3);
  for (const section of document.sections) {
    ensureRoom(pdf, 80);
    pdf.moveDown().font('Helvetica-Bold').fontSize(13).fillColor(INK).text(section.heading, MARGIN);
    if (section.note) pdf.font('Helvetica').fontSize(8).fillColor(MUTED).text(section.note);
    pdf.moveDown(0.4);
    if (section.chart) drawChart(pdf, section.chart);
    if (section.table) drawTable(pdf, section.table);
  }
  ensureRoom(pdf, 90);
  pdf.moveDown().font('Helvetica-Bold').fontSize(13).fillColor(INK).text('Signed audit checkpoint', MARGIN);
  pdf
    .font('Courier')
    .fontSize(8)
    .text(`Audit entry ${checkpoint.seq} has SHA-256 ${checkpoint.hash}`)
    .text(`signed ${checkpoint.at} with Ed25519 key ${checkpoint.keyId}`)
    .text(`public key ${checkpoint.publicKey}`)
    .text(`signature ${checkpoint.signature}`);
  pdf.end();
  return done;
}

function ensureRoom(pdf: PDFKit.PDFDocument, height: number): void {
  if (pdf.y + height > pdf.page.height - MARGIN) pdf.addPage();
}

function drawChart(pdf: PDFKit.PDFDocument, chart: BarChart): void {
  const rowHeight = 14;
  const labelWidth = 150;
  const barWidth = 360;
  const max = Math.max(1, ...chart.bars.map((bar) => bar.value));
  ensureRoom(pdf, chart.bars.length * rowHeight + 24);
  pdf.font('Helvetica').fontSize(8).fillColor(MUTED).text(`${chart.title} (${chart.unit})`, MARGIN);
  let y = pdf.y + 4;
  for (const bar of chart.bars) {
    const width = Math.max(1, Math.round((bar.value / max) * barWidth));
    pdf
      .fillColor(INK)
      .text(bar.label, MARGIN, y + 2, { width: labelWidth - 8, align: 'right', lineBreak: false });
    pdf.rect(MARGIN + labelWidth, y, bar.value === 0 ? 0.5 : width, rowHeight - 4).fill(BAR);
    pdf.fillColor(INK).text(String(bar.value), MARGIN + labelWidth + width + 4, y + 2, { lineBreak: false });
    y += rowHeight;
  }
  pdf.x = MARGIN;
  pdf.y = y + 6;
}

function drawTable(pdf: PDFKit.PDFDocument, table: ReportTable): void {
  const width = pdf.page.width - 2 * MARGIN;
  const fontSize = table.columns.length > 8 ? 6.5 : 8;
  const text = (row: Record<string, unknown>, key: string) =>
    row[key] === null || row[key] === undefined ? '' : String(row[key]);
  // Columns share the width in proportion to their longest text (bounded), so long targets wrap less.
  const weights = table.columns.map((column) =>
    Math.min(40, Math.max(column.label.length, ...table.rows.map((row) => text(row, column.key).length), 4)),
  );
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const widths = weights.map((weight) => (weight / total) * width);
  const drawRow = (cells: string[], bold: boolean) => {
    pdf.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(fontSize);
    const height =
      Math.max(
        ...cells.map((cell, index) => pdf.heightOfString(cell, { width: (widths[index] as number) - 4 })),
      ) + 4;
    if (pdf.y + height > pdf.page.height - MARGIN) pdf.addPage();
    const top = pdf.y;
    let x = MARGIN;
    cells.forEach((cell, index) => {
      const cellWidth = widths[index] as number;
      if (bold) pdf.rect(x, top, cellWidth, height).fill('#eef1f5');
      pdf.fillColor(INK).text(cell, x + 2, top + 2, { width: cellWidth - 4 });
      x += cellWidth;
    });
    pdf
      .moveTo(MARGIN, top + height)
      .lineTo(MARGIN + width, top + height)
      .lineWidth(0.3)
      .stroke('#cfd4dc');
    pdf.x = MARGIN;
    pdf.y = top + height;
  };
  drawRow(
    table.columns.map((column) => column.label),
    true,
  );
  for (const row of table.rows)
    drawRow(
      table.columns.map((column) => text(row, column.key)),
      false,
    );
  if (table.rows.length === 0)
    pdf.font('Helvetica').fontSize(8).fillColor(MUTED).text('None in this period.', MARGIN);
  pdf.moveDown(0.5);
}
