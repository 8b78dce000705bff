// Public surface of the global neural model (contract with the model-choice code).
export type { NeuralTrainingOptions, NeuralForecast, NeuralInput } from './types.ts';
export { GlobalNeuralModel } from './model.ts';
export { NeuralModelError } from './errors.ts';
export type { NeuralErrorCode } from './errors.ts';
export { MAX_HORIZON } from './config.ts';
