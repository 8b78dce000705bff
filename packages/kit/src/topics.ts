// Typed access to the generated catalogue.
import { catalogue, Topics } from './generated/catalogue.ts';
import type { TopicName } from './generated/catalogue.ts';
import type { LoadedTopic } from './core/catalogue.ts';
import { WarmcastError } from './errors.ts';

const byName = new Map<string, LoadedTopic>(catalogue.map((t) => [t.name, t]));

export function topicSpec(name: TopicName): LoadedTopic {
  const spec = byName.get(name);
  if (spec === undefined) throw new WarmcastError('UNKNOWN_TOPIC', `topic "${name}" is not in the catalogue`);
  return spec;
}

export function isCataloguedTopic(name: string): name is TopicName {
  return byName.has(name);
}

export { catalogue, Topics };
