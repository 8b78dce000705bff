// docs/ingest.md documents every validation reason code (and nothing else under that table).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REASON_CODES } from '../../src/core/reasons.ts';

describe('reason codes', () => {
  it('are each documented in docs/ingest.md, and the doc table names no other', () => {
    const doc = readFileSync(new URL('../../../../docs/ingest.md', import.meta.url), 'utf8');
    const table = doc.slice(doc.indexOf('| reason | when |'), doc.indexOf('**UNKNOWN is allowed.**'));
    const documented = [...table.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual(Object.keys(REASON_CODES).sort());
  });
});
