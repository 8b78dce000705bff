// Publishing a combiner version onto a test stack's model topic, as `warmcast train` does.
import { Topics, TypedProducer, createRegistryClient } from '@warmcast/kit';
import type { CombinerVersion } from '@warmcast/forecast';
import type { Stack } from './stack.ts';

export async function publishCombiner(stack: Stack, v: CombinerVersion): Promise<void> {
  const producer = new TypedProducer({ producer: stack.kafka('model-publisher').producer(), registry: createRegistryClient(stack.registryUrl) });
  await producer.start();
  try {
    const modelKey = `combiner/${v.version}`;
    await producer.send(Topics.forecastModelPublished, [{ key: modelKey, value: {
      modelKey, kind: 'combiner', version: v.version, trainedThroughMinute: v.trainedThroughMinute, effectiveFromMinute: v.effectiveFromMinute,
      featureNames: [...v.featureNames], coefficientsByBand: v.coefficientsByBand.map((r) => [...r]), rowsByBand: [...v.rowsByBand],
      hourOfDay: v.hourOfDay, bands: v.bands, l2: v.l2, prior: v.prior, users: v.users, payload: Buffer.alloc(0), trainedAt: 0,
    } }]);
  } finally {
    await producer.close();
  }
}
