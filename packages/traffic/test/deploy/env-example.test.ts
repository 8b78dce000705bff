// deploy/warmcast.env.example documents the kit keys at their defaults (STYLE.md 6): it must
// parse, and to exactly DEFAULT_CONFIG, or the example has drifted from the code.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, ENV_KEYS, parseConfig } from '@warmcast/kit';

const FILE = fileURLToPath(new URL('../../../../deploy/warmcast.env.example', import.meta.url));

function parseEnvFile(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (m?.[1] !== undefined) env[m[1]] = m[2] ?? '';
  }
  return env;
}

describe('deploy/warmcast.env.example', () => {
  const env = parseEnvFile(readFileSync(FILE, 'utf8'));

  it('sets every kit key', () => {
    expect(Object.keys(env).sort()).toEqual(Object.values(ENV_KEYS).sort());
  });

  it('parses to the documented defaults', () => {
    expect(parseConfig({}, env)).toEqual(DEFAULT_CONFIG);
  });
});
