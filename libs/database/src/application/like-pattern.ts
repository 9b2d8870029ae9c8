/**
 * A LIKE / ILIKE pattern matching any text that contains `text` literally: its `%`, `_` and `\`
 * are escaped with `\`, PostgreSQL's default LIKE escape character.
 */
export function containingPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}
