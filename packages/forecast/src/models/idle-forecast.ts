// Forecast of the next idle time from the previous ones, as in Shahrad et al. (ATC'20), who fit
// ARIMA to the idle-time series of functions whose idle times mostly exceed the histogram range.
// The `arima` package needs >= 10 values for an AR(1); below that (the usual case inside a
// 12-hour warm-up, where a function idle > 4 h has at most 2 idle times) the forecast is the mean
// of the observed idle times, i.e. what an ARIMA(0,0,0) with a constant predicts.
import ARIMA from 'arima';

export const ARIMA_MIN_SERIES = 10;

/** pre: idleMinutes non-empty, values >= 1. Returns a forecast >= 1 (minutes). */
export function forecastNextIdle(idleMinutes: readonly number[]): number {
  const n = idleMinutes.length;
  const mean = idleMinutes.reduce((a, b) => a + b, 0) / Math.max(1, n);
  if (n < ARIMA_MIN_SERIES) return Math.max(1, mean);
  try {
    const model = new ARIMA({ p: 1, d: 0, q: 0, verbose: false }).train([...idleMinutes]);
    const [pred] = model.predict(1);
    model.destroy();
    const v = pred[0];
    return v !== undefined && Number.isFinite(v) ? Math.max(1, v) : Math.max(1, mean);
  } catch {
    // the optimiser can fail on a constant series; the mean is then the right forecast anyway
    return Math.max(1, mean);
  }
}
