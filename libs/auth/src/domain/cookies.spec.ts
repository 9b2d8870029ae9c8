import { readCookie } from './cookies';

describe('readCookie', () => {
  it('finds a cookie by exact name among others', () => {
    const header = 'theme=dark; __Host-rampart_session=abc_DEF-123; rampart_session=other';
    expect(readCookie(header, '__Host-rampart_session')).toBe('abc_DEF-123');
    expect(readCookie(header, 'rampart_session')).toBe('other');
    expect(readCookie(header, 'session')).toBeUndefined();
    expect(readCookie(undefined, 'rampart_session')).toBeUndefined();
  });
});
