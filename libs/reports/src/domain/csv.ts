import type { Cell, ReportSection } from './report-document';

// A spreadsheet would read a cell starting with these as a formula (or, for tab and CR, shift it
// into one): OWASP's CSV injection advice is to prefix such a cell with a single quote.
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: Cell): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Every table of the report, one block each (a title row, a header row, the rows), blank line apart. */
export function reportCsv(sections: readonly ReportSection[]): string {
  const blocks: string[] = [];
  for (const section of sections) {
    if (!section.table) continue;
    const { columns, rows } = section.table;
    const lines = [
      csvCell(section.heading),
      columns.map((column) => csvCell(column.label)).join(','),
      ...rows.map((row) => columns.map((column) => csvCell(row[column.key] ?? null)).join(',')),
    ];
    blocks.push(lines.join('\r\n'));
  }
  return `${blocks.join('\r\n\r\n')}\r\n`;
}
