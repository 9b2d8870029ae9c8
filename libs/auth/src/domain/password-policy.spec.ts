import { passwordProblem } from './password-policy';

describe('passwordProblem', () => {
  it('accepts a long passphrase', () => {
    expect(passwordProblem('correct horse battery staple', 'alice')).toBeNull();
  });

  it.each([
    ['short1!', 'must be at least 12 characters'],
    ['a'.repeat(257), 'must be at most 256 characters'],
    ['abababababababab', 'must not repeat a few characters'],
    ['xx-alice-password-xx', 'must not contain the username'],
  ])('refuses %j: %s', (password, problem) => {
    expect(passwordProblem(password, 'alice')).toBe(problem);
  });

  it('counts characters, not UTF-16 units', () => {
    expect(passwordProblem('🔐🔑🗝️🔒🔓🛡️', 'bob')).toBe('must be at least 12 characters');
  });
});
