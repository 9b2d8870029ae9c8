/** A topic the application needs, with the partition count it should be created with. */
export interface TopicSpec {
  readonly topic: string;
  readonly partitions: number;
}

// Kafka's own rule (org.apache.kafka.common.internals.Topic): at most 249 of these characters,
// and not "." or "..".
const LEGAL_TOPIC = /^[a-zA-Z0-9._-]{1,249}$/;

/** Problems with a list of topic specs, empty when all of them can be created. */
export function topicSpecProblems(specs: readonly TopicSpec[]): string[] {
  const problems: string[] = [];
  const partitionsByTopic = new Map<string, number>();
  for (const { topic, partitions } of specs) {
    if (!LEGAL_TOPIC.test(topic) || topic === '.' || topic === '..') {
      problems.push(`'${topic}' is not a legal topic name (1-249 of a-z A-Z 0-9 . _ -)`);
    }
    if (!Number.isInteger(partitions) || partitions < 1) {
      problems.push(`topic '${topic}': partitions must be a positive integer, got ${partitions}`);
    }
    const seen = partitionsByTopic.get(topic);
    if (seen !== undefined && seen !== partitions) {
      problems.push(
        `topic '${topic}' is listed twice with different partition counts (${seen}, ${partitions})`,
      );
    }
    partitionsByTopic.set(topic, partitions);
  }
  return problems;
}
