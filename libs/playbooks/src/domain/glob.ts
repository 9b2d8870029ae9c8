/**
 * Whether `value` matches `pattern`, case-insensitively: `*` is any run of characters, `?` one
 * character, everything else itself. Linear-time two-pointer matching, so a hostile pattern or
 * value cannot make it backtrack for long (no regular expression is built from either).
 */
export function matchesGlob(value: string, pattern: string): boolean {
  const text = value.toLowerCase();
  const glob = pattern.toLowerCase();
  let t = 0;
  let g = 0;
  let starAt = -1;
  let resumeAt = 0;
  while (t < text.length) {
    const wanted = glob[g];
    if (wanted === '*') {
      starAt = g;
      resumeAt = t;
      g += 1;
    } else if (wanted !== undefined && (wanted === '?' || wanted === text[t])) {
      g += 1;
      t += 1;
    } else if (starAt >= 0) {
      g = starAt + 1;
      resumeAt += 1;
      t = resumeAt;
    } else {
      return false;
    }
  }
  while (glob[g] === '*') g += 1;
  return g === glob.length;
}
