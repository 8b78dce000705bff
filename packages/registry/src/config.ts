import type { Logger } from 'pino';

export interface RegistryOptions {
  /** TCP port; 0 picks a free one (tests). Default 8081, Confluent SR's port. */
  readonly port?: number;
  /** Default 127.0.0.1: the registry has no auth, so it listens on loopback unless told. */
  readonly host?: string;
  /** Directory of the journal; created if missing. Required. */
  readonly dataDir: string;
  readonly logger?: Logger;
  /** ms since the epoch; stamped on journal events. Default Date.now. */
  readonly clock?: () => number;
}

export interface RegistryConfig {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
}

/** Thrown at start-up for a bad option; names the key, the value and what is allowed. */
export class RegistryConfigError extends Error {
  override readonly name = 'RegistryConfigError';
  constructor(
    readonly key: string,
    readonly value: unknown,
    readonly allowed: string,
  ) {
    super(`registry option ${key}=${JSON.stringify(value)} is invalid; allowed: ${allowed}`);
  }
}

/** Defaults, validate, freeze; once, at start-up (STYLE.md 6). */
export function parseRegistryConfig(opts: RegistryOptions): RegistryConfig {
  const port = opts.port ?? 8081;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RegistryConfigError('port', opts.port, 'an integer 0..65535 (0 = any free port)');
  }
  const host = opts.host ?? '127.0.0.1';
  if (typeof host !== 'string' || host.trim() === '') throw new RegistryConfigError('host', opts.host, 'a non-empty host name or IP address');
  if (typeof opts.dataDir !== 'string' || opts.dataDir.trim() === '') {
    throw new RegistryConfigError('dataDir', opts.dataDir, 'a non-empty directory path');
  }
  return Object.freeze({ port, host, dataDir: opts.dataDir });
}
