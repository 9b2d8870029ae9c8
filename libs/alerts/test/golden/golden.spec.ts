// Golden files: <format>/<name>.input.json (or .input.cef, one CEF line) next to
// <name>.expected.json, the NormalizedAlert as JSON. The expected files are the truth and are
// reviewed by hand; `UPDATE_GOLDEN=1 npx jest --selectProjects unit libs/alerts/test/golden`
// rewrites them from the current code, after which every change must be read before committing.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { parseJsonLosslessly } from '../../src/domain/lossless-json';
import { normalizeAlert } from '../../src/domain/normalize-alert';
import { ALERT_FORMATS, type AlertFormat } from '../../src/domain/normalized-alert';

// Arrival time, used only by inputs that carry no time of their own.
const RECEIVED_AT = new Date('2024-01-01T00:00:00.000Z');
const UPDATE = process.env['UPDATE_GOLDEN'] === '1';

interface GoldenCase {
  format: AlertFormat;
  name: string;
  inputPath: string;
  expectedPath: string;
}

function goldenCases(): GoldenCase[] {
  const out: GoldenCase[] = [];
  for (const format of ALERT_FORMATS) {
    const dir = join(__dirname, format);
    for (const file of readdirSync(dir).sort()) {
      const match = /^(.+)\.input\.(json|cef)$/.exec(file);
      if (match === null) continue;
      const name = match[1] as string;
      out.push({
        format,
        name,
        inputPath: join(dir, file),
        expectedPath: join(dir, `${name}.expected.json`),
      });
    }
  }
  return out;
}

function readInput(golden: GoldenCase): unknown {
  const text = readFileSync(golden.inputPath, 'utf8');
  // A .cef file holds one line; only the file's final newline is dropped (trailing spaces are data).
  return golden.inputPath.endsWith('.cef') ? text.replace(/\r?\n$/, '') : parseJsonLosslessly(text);
}

const cases = goldenCases();

interface SourceRow {
  format: AlertFormat;
  fixture: string;
  shape: string;
  source: string;
}

/** The `| fixture | shape | source | notes |` rows of each folder's SOURCES.md. */
function sourceRows(): SourceRow[] {
  const rows: SourceRow[] = [];
  for (const format of ALERT_FORMATS) {
    const text = readFileSync(join(__dirname, format, 'SOURCES.md'), 'utf8');
    for (const line of text.split('\n')) {
      const cells = line.split('|').map((cell) => cell.trim());
      if (cells.length < 6 || cells[1] === 'fixture' || /^-+$/.test(cells[1] ?? '')) continue;
      rows.push({
        format,
        fixture: cells[1] as string,
        shape: cells[2] as string,
        source: cells[3] as string,
      });
    }
  }
  return rows;
}

const sources = sourceRows();
const isReal = (row: SourceRow) => row.source !== 'constructed' && row.source !== 'unlocated';

describe('golden alert samples and their sources', () => {
  it('cites a source (or says constructed) for every sample, and for no sample that is not there', () => {
    const fixtures = cases.map((golden) => `${golden.format}/${golden.name}`).sort();
    expect(sources.map((row) => `${row.format}/${row.fixture}`).sort()).toEqual(fixtures);
  });

  it('holds at least 60 real public samples', () => {
    expect(sources.filter(isReal).length).toBeGreaterThanOrEqual(60);
  });

  // The shapes issue 10 names: Splunk notable-index rows, webhook payloads and HEC events; ECS
  // endpoint alerts; CEF with labelled custom fields.
  it.each(['notable-index', 'webhook', 'hec', 'ecs-alert', 'cef-custom-fields'])(
    'holds at least 5 real samples of shape %s',
    (shape) => {
      expect(sources.filter((row) => row.shape === shape && isReal(row)).length).toBeGreaterThanOrEqual(5);
    },
  );
});

describe('golden alert normalizations', () => {
  it.each(ALERT_FORMATS.map((format) => [format]))('has at least five %s cases', (format) => {
    expect(cases.filter((golden) => golden.format === format).length).toBeGreaterThanOrEqual(5);
  });

  it.each(cases.map((golden) => [`${golden.format}/${golden.name}`, golden] as const))(
    '%s matches its expected file',
    (_label, golden) => {
      const result = normalizeAlert(readInput(golden), { receivedAt: RECEIVED_AT });
      if (!result.ok) throw new Error(`${golden.name}: ${result.error.code}: ${result.error.message}`);
      // Detection alone must find the format the file is filed under.
      expect(result.alert.format).toBe(golden.format);

      const actualJson = `${JSON.stringify(result.alert, null, 2)}\n`;
      if (UPDATE) writeFileSync(golden.expectedPath, actualJson);
      const expected: unknown = JSON.parse(readFileSync(golden.expectedPath, 'utf8'));
      expect(JSON.parse(actualJson)).toEqual(expected);
    },
  );
});
