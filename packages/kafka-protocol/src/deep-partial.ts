/**
 * What encoders accept: any member may be missing at any depth and takes the spec default
 * (a handler sets only what it needs). Buffers and bigints are leaves.
 */
export type DeepPartial<T> =
  T extends Uint8Array ? T
    : T extends bigint | number | string | boolean | null | undefined ? T
      : T extends ReadonlyArray<infer U> ? DeepPartial<U>[]
        : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> }
          : T;
