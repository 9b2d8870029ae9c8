import { parseIncidentSearch } from './incident-search';

describe('parseIncidentSearch', () => {
  it('reads #42 and 42 as the incident number', () => {
    expect(parseIncidentSearch('#42')).toEqual({ number: 42 });
    expect(parseIncidentSearch(' 42 ')).toEqual({ number: 42 });
  });

  it('reads anything else as title words, all required, at most ten', () => {
    expect(parseIncidentSearch('ssh  scan')).toEqual({ titleWords: ['ssh', 'scan'] });
    expect(parseIncidentSearch('100%_match')).toEqual({ titleWords: ['100%_match'] });
    expect(parseIncidentSearch('a b c d e f g h i j k l')).toEqual({
      titleWords: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'],
    });
  });

  it('asks nothing of an empty box', () => {
    expect(parseIncidentSearch(undefined)).toEqual({});
    expect(parseIncidentSearch('   ')).toEqual({});
  });
});
