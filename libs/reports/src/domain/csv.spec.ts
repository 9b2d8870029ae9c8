import { csvCell, reportCsv } from './csv';

describe('CSV cells', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+cmd', "'+cmd"],
    ['-2', "'-2"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tx', "'\tx"],
    ['\rx', `"'\rx"`],
    ['=HYPERLINK("a","b")', `"'=HYPERLINK(""a"",""b"")"`],
  ])('neutralizes %j as a formula a spreadsheet would run', (value, written) => {
    expect(csvCell(value)).toBe(written);
  });

  it('leaves numbers and plain text alone, quotes separators and edges of whitespace', () => {
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell(' padded')).toBe('" padded"');
    expect(csvCell(null)).toBe('');
  });

  it('writes each table as a block: title, header, rows', () => {
    const csv = reportCsv([
      {
        id: 's',
        heading: 'Section',
        table: {
          columns: [
            { key: 'a', label: 'A' },
            { key: 'b', label: 'B' },
          ],
          rows: [{ a: 1, b: '=x' }],
        },
      },
      { id: 'chart-only', heading: 'No table' },
    ]);
    expect(csv).toBe("Section\r\nA,B\r\n1,'=x\r\n");
  });
});
