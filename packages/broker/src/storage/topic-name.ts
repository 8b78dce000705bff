/** Kafka's Topic.validate: 1..249 chars of [a-zA-Z0-9._-], not "." or "..". Returns the problem or undefined. */
export function topicNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'topic name is empty';
  if (name === '.' || name === '..') return 'topic name cannot be "." or ".."';
  // 249 = 255 (max file name) - room for "-<partition>" and Kafka's ".deleted"/"-delete" suffixes.
  if (name.length > 249) return `topic name is ${name.length} characters, the limit is 249`;
  if (!/^[a-zA-Z0-9._-]+$/.test(name)) return `topic name "${name}" may contain only ASCII letters, digits, ".", "_" and "-"`;
  return undefined;
}
