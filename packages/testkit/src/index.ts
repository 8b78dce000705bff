// @warmcast/testkit: fixtures for the services' integration tests (never imported by src/).
export { startEmbedded } from './embedded.ts';
export type { Embedded, EmbeddedOptions } from './embedded.ts';
export { seededRandom } from './random.ts';
