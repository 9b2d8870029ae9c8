import type { BarChart } from './report-document';

const escape = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

/**
 * A horizontal bar chart as inline SVG (no script, no external reference). Labels are escaped
 * here: the HTML template inserts the markup as it is.
 */
export function barChartSvg(chart: BarChart): string {
  const rowHeight = 22;
  const labelWidth = 170;
  const barWidth = 360;
  const height = chart.bars.length * rowHeight + 30;
  const max = Math.max(1, ...chart.bars.map((bar) => bar.value));
  const rows = chart.bars.map((bar, index) => {
    const y = 24 + index * rowHeight;
    const width = Math.round((bar.value / max) * barWidth);
    return (
      `<text x="${labelWidth - 6}" y="${y + 14}" text-anchor="end">${escape(bar.label)}</text>` +
      `<rect x="${labelWidth}" y="${y + 3}" width="${width}" height="${rowHeight - 6}" fill="#2f6db5"/>` +
      `<text x="${labelWidth + width + 6}" y="${y + 14}">${bar.value}</text>`
    );
  });
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" width="${labelWidth + barWidth + 80}" height="${height}" ` +
    `font-family="sans-serif" font-size="12" aria-label="${escape(chart.title)}">` +
    `<title>${escape(chart.title)} (${escape(chart.unit)})</title>` +
    `<text x="0" y="14" font-weight="bold">${escape(chart.title)} (${escape(chart.unit)})</text>${rows.join('')}</svg>`
  );
}
