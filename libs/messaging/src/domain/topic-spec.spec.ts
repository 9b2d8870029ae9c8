import { topicSpecProblems } from './topic-spec';

describe('topicSpecProblems', () => {
  it('accepts legal specs, repeated ones included', () => {
    expect(
      topicSpecProblems([
        { topic: 'siem.alerts', partitions: 6 },
        { topic: 'siem.alerts', partitions: 6 },
        { topic: 'siem.alerts.dlq', partitions: 1 },
      ]),
    ).toEqual([]);
  });

  it('reports every problem at once', () => {
    const problems = topicSpecProblems([
      { topic: 'bad topic', partitions: 1 },
      { topic: '..', partitions: 1 },
      { topic: 'ok', partitions: 0 },
      { topic: 'twice', partitions: 1 },
      { topic: 'twice', partitions: 2 },
      { topic: 'x'.repeat(250), partitions: 1 },
    ]);
    expect(problems).toHaveLength(5);
    expect(problems[0]).toContain("'bad topic'");
  });
});
