/**
 * Charts as server-rendered inline SVG: no script, no style attribute (the CSP forbids inline
 * styles; presentation comes from classes in console.css). Every text placed in the SVG is
 * escaped here, since the SVG reaches the page unescaped.
 */

export interface Bar {
  label: string;
  value: number;
}

export interface BarChartOptions {
  /** Unique in the page: the ids of the chart's title and description derive from it. */
  id: string;
  title: string;
  /** What the chart shows, in words, for those who cannot see it. */
  description: string;
  bars: Bar[];
  width?: number;
  height?: number;
  /** Show every n-th label under the bars (long series). */
  labelEvery?: number;
}

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

export function barChart(options: BarChartOptions): string {
  const width = options.width ?? 640;
  const height = options.height ?? 200;
  const left = 36;
  const bottom = 28;
  const top = 10;
  const plotHeight = height - bottom - top;
  const plotWidth = width - left - 8;
  const max = Math.max(1, ...options.bars.map((bar) => bar.value));
  const step = options.bars.length > 0 ? plotWidth / options.bars.length : plotWidth;
  const barWidth = Math.max(1, step * 0.8);
  const labelEvery = options.labelEvery ?? 1;
  const id = options.id.replace(/[^a-z0-9-]/gi, '');
  const parts: string[] = [
    `<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${id}-title ${id}-desc">`,
    `<title id="${id}-title">${escapeXml(options.title)}</title>`,
    `<desc id="${id}-desc">${escapeXml(options.description)}</desc>`,
    `<line class="axis" x1="${left}" y1="${top + plotHeight}" x2="${width - 8}" y2="${top + plotHeight}"/>`,
    `<text x="${left - 4}" y="${top + 10}" text-anchor="end">${max}</text>`,
    `<text x="${left - 4}" y="${top + plotHeight}" text-anchor="end">0</text>`,
  ];
  options.bars.forEach((bar, index) => {
    const barHeight = (Math.max(0, bar.value) / max) * plotHeight;
    const x = left + index * step + (step - barWidth) / 2;
    const y = top + plotHeight - barHeight;
    parts.push(
      `<rect class="bar" x="${round(x)}" y="${round(y)}" width="${round(barWidth)}" height="${round(barHeight)}"><title>${escapeXml(`${bar.label}: ${bar.value}`)}</title></rect>`,
    );
    if (index % labelEvery === 0) {
      parts.push(
        `<text x="${round(x + barWidth / 2)}" y="${height - 10}" text-anchor="middle">${escapeXml(bar.label)}</text>`,
      );
    }
  });
  parts.push('</svg>');
  return parts.join('');
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

/** Incidents opened per UTC day over the `days` days up to `now`, oldest first. */
export function incidentsPerDay(createdAt: string[], now: Date, days: number): Bar[] {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const bars: Bar[] = [];
  const index = new Map<string, Bar>();
  for (let offset = days - 1; offset >= 0; offset--) {
    const label = new Date(today - offset * 86_400_000).toISOString().slice(0, 10);
    const bar = { label: label.slice(5), value: 0 };
    bars.push(bar);
    index.set(label, bar);
  }
  for (const at of createdAt) {
    const bar = index.get(new Date(at).toISOString().slice(0, 10));
    if (bar) bar.value += 1;
  }
  return bars;
}

export const CONTAIN_BUCKETS: { label: string; upToMs: number }[] = [
  { label: '< 15m', upToMs: 15 * 60_000 },
  { label: '15–60m', upToMs: 60 * 60_000 },
  { label: '1–4h', upToMs: 4 * 3_600_000 },
  { label: '4–24h', upToMs: 24 * 3_600_000 },
  { label: '> 1d', upToMs: Number.POSITIVE_INFINITY },
];

/** How many incidents took how long from opening to containment, in fixed buckets. */
export function timeToContain(durationsMs: number[]): Bar[] {
  const bars = CONTAIN_BUCKETS.map((bucket) => ({ label: bucket.label, value: 0 }));
  for (const ms of durationsMs) {
    const at = CONTAIN_BUCKETS.findIndex((bucket) => ms < bucket.upToMs);
    const bar = bars[at === -1 ? bars.length - 1 : at];
    if (bar) bar.value += 1;
  }
  return bars;
}

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}
