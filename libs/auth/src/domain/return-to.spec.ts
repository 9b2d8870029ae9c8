import { safeReturnTo } from './return-to';

describe('safeReturnTo', () => {
  it.each(['/', '/incidents?status=new', '/incidents/42#timeline'])('keeps the local path %s', (path) => {
    expect(safeReturnTo(path)).toBe(path);
  });

  it.each([
    'https://evil.example/',
    '//evil.example/',
    '/\\evil.example/',
    'javascript:alert(1)',
    '/ok\r\nSet-Cookie: x=1',
    '/a\\b',
    '',
    undefined,
    42,
  ])('sends %j home instead', (value) => {
    expect(safeReturnTo(value)).toBe('/');
  });
});
