import { decodeKeysetCursor, encodeKeysetCursor } from './keyset-cursor';

const ID = '0b0e6f5c-8d7a-4c3b-9a1e-2f4d6b8c0a1e';
const forged = (t: string) => Buffer.from(JSON.stringify({ t, id: ID })).toString('base64url');

describe('keyset cursors', () => {
  it('reads back what it wrote', () => {
    const time = '2024-02-29T23:59:59.123456Z';
    expect(decodeKeysetCursor(encodeKeysetCursor(time, ID))).toEqual({ time, id: ID });
  });

  it.each([
    '2024-02-30T00:00:00.000000Z',
    '2023-02-29T00:00:00.000000Z',
    '9999-99-99T00:00:00.000000Z',
    '2024-01-01T24:00:00.000000Z',
    '2024-01-01T00:60:00.000000Z',
    '0000-01-01T00:00:00.000000Z',
  ])('refuses a forged cursor naming an impossible time, %s', (time) => {
    expect(decodeKeysetCursor(forged(time))).toBeUndefined();
  });
});
