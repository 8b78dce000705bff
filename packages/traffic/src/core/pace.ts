// Replay pacing: one trace minute takes 60 / speed seconds of wall time. speed 1 is real
// time, 60 plays an hour per minute, 600 a day in 2.4 minutes; 0 or Infinity = no waiting.

export interface Pace {
  /** event time (ms) that maps to wallOrigin */
  readonly eventOrigin: number;
  /** wall time (ms) when the replay started */
  readonly wallOrigin: number;
  readonly speed: number;
}

export function unpaced(speed: number): boolean {
  return speed === 0 || speed === Infinity;
}

/** Wall time at which an event of eventTime is due. Unpaced: the origin (always due). */
export function wallDue(p: Pace, eventTime: number): number {
  if (unpaced(p.speed)) return p.wallOrigin;
  return p.wallOrigin + (eventTime - p.eventOrigin) / p.speed;
}

/** The replay clock: event time shown by the wall clock at wallNow. */
export function replayTime(p: Pace, wallNow: number): number {
  if (unpaced(p.speed)) return Infinity;
  return p.eventOrigin + (wallNow - p.wallOrigin) * p.speed;
}

/** pre-check for options: speed must be a finite number > 0, or 0 / Infinity. */
export function isValidSpeed(speed: number): boolean {
  return speed === 0 || speed === Infinity || (Number.isFinite(speed) && speed > 0);
}
