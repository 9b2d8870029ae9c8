import { containingPattern } from './like-pattern';

describe('containingPattern', () => {
  it('escapes the LIKE wildcards and the escape character, and matches anywhere', () => {
    expect(containingPattern('ssh scan')).toBe('%ssh scan%');
    expect(containingPattern('100%_a\\b')).toBe('%100\\%\\_a\\\\b%');
  });
});
