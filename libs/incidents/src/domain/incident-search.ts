/** What a search box's text asks of the incident list: one incident by number, or title words. */
export type IncidentSearch = { number: number } | { titleWords: string[] } | Record<string, never>;

const MAX_WORDS = 10;

/** `#42` or `42`: incident 42; otherwise the words (at most ten) must all appear in the title. */
export function parseIncidentSearch(text: string | undefined): IncidentSearch {
  const trimmed = (text ?? '').trim();
  if (trimmed === '') return {};
  const number = /^#?(\d{1,12})$/.exec(trimmed);
  if (number) return { number: Number(number[1]) };
  return { titleWords: trimmed.split(/\s+/).slice(0, MAX_WORDS) };
}
