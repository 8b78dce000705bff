export interface NeuralTrainingOptions {
  windowMinutes?: number;
  epochs?: number;
  seed?: number;
  maxSeries?: number;
  backend?: 'auto' | 'wasm' | 'cpu' | 'tensorflow';
}

export interface NeuralForecast {
  /** P(count > 0) for minutes t+1..t+H */
  pAny: number[];
  /** quantiles of count at t+1 for the given quantile levels */
  countQuantiles: number[];
}

export interface NeuralInput {
  /** last windowMinutes counts, most recent last (shorter is left-padded with zeros) */
  recent: ArrayLike<number>;
  /** minute of day (0..1439) of the NEXT minute, the first one forecast */
  minuteOfDay: number;
}
