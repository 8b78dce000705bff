import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, WarmcastError, isRetriable } from '../src/errors.ts';

const doc = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../../../docs/errors.md'), 'utf8');

describe('errors', () => {
  it('docs/errors.md has a row for every code with its retriable flag', () => {
    for (const [code, { retriable }] of Object.entries(ERROR_CODES)) {
      expect(doc, code).toMatch(new RegExp(`\\| \`${code}\` \\| ${retriable ? 'yes' : 'no'} \\|`));
    }
  });

  it('carries code, retriable and cause', () => {
    const cause = new Error('ECONNREFUSED');
    const e = new WarmcastError('REGISTRY_UNAVAILABLE', 'register x', { cause });
    expect([e.code, e.retriable, e.cause]).toEqual(['REGISTRY_UNAVAILABLE', true, cause]);
    expect(new WarmcastError('PRODUCE_FAILED', 'x', { retriable: false }).retriable).toBe(false);
  });

  it.each([
    [new WarmcastError('TIMEOUT', 't'), true],
    [new WarmcastError('DECODE_FAILED', 'd'), false],
    [Object.assign(new Error('sink busy'), { retriable: true }), true],
    [Object.assign(new TypeError('x is undefined'), { retriable: true }), false], // programmer errors never retried
    [new RangeError('bad'), false],
    [new Error('plain'), false],
    ['a string', false],
  ])('isRetriable(%s) = %s', (err, expected) => {
    expect(isRetriable(err)).toBe(expected);
  });
});
