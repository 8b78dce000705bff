import * as core from '../core/index.ts';
import { ErrorCodes, fail, ok } from '../core/index.ts';
import type { Result } from '../core/index.ts';
import type { RegistryService } from './service.ts';

export interface RouteInput {
  readonly params: readonly string[];
  readonly query: URLSearchParams;
  readonly body: unknown;
}

/** A route replies a JSON value, or `raw` text (GET .../schema returns the schema itself). */
export type RouteOutput = Result<unknown> | { ok: true; value: unknown; raw: string };

type Handler = (svc: RegistryService, input: RouteInput) => RouteOutput | Promise<RouteOutput>;

export interface Route {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path segments; ':' marks a parameter. */
  readonly path: readonly string[];
  readonly handle: Handler;
}

const flag = (q: URLSearchParams, name: string): boolean => q.get(name)?.toLowerCase() === 'true';
const p = (input: RouteInput, i: number): string => input.params[i] ?? '';

function schemaId(raw: string): Result<number> {
  const id = /^[0-9]{1,10}$/.test(raw) ? Number(raw) : NaN;
  return Number.isSafeInteger(id) && id > 0 ? ok(id) : fail(ErrorCodes.SCHEMA_NOT_FOUND, `Schema ${raw} not found`);
}

function rawSchema(r: Result<Record<string, unknown>>): RouteOutput {
  return r.ok ? { ok: true, value: r.value['schema'], raw: String(r.value['schema']) } : r;
}

const r = (method: Route['method'], path: string, handle: Handler): Route => ({ method, path: path.split('/').filter(Boolean), handle });

/** Every route of CLIENT_NOTES §7.2 plus the admin ones Confluent SR serves next to them. */
export const routes: readonly Route[] = [
  r('GET', '/', () => ok({})),
  r('GET', '/livez', () => ok({})),
  r('GET', '/schemas/types', () => ok(['AVRO'])),
  r('GET', '/mode', () => ok({ mode: 'READWRITE' })),
  r('GET', '/mode/:', () => ok({ mode: 'READWRITE' })),
  r('GET', '/contexts', () => ok(['.'])),
  // GUIDs are a newer SR feature (magic byte 0x01); this registry never hands them out.
  r('GET', '/schemas/guids/:', (_s, i) => fail(ErrorCodes.SCHEMA_NOT_FOUND, `Schema ${p(i, 0)} not found (schema GUIDs are not supported)`)),

  r('GET', '/schemas/ids/:', (s, i) => {
    const id = schemaId(p(i, 0));
    return id.ok ? s.read((st) => core.getSchemaById(st, id.value)) : id;
  }),
  r('GET', '/schemas/ids/:/schema', (s, i) => {
    const id = schemaId(p(i, 0));
    return id.ok ? rawSchema(s.read((st) => core.getSchemaById(st, id.value))) : id;
  }),
  r('GET', '/schemas/ids/:/versions', (s, i) => {
    const id = schemaId(p(i, 0));
    return id.ok ? s.read((st) => core.getIdVersions(st, id.value, flag(i.query, 'deleted'))) : id;
  }),
  r('GET', '/schemas/ids/:/subjects', (s, i) => {
    const id = schemaId(p(i, 0));
    if (!id.ok) return id;
    const vs = s.read((st) => core.getIdVersions(st, id.value, flag(i.query, 'deleted')));
    return vs.ok ? ok([...new Set(vs.value.map((v) => v.subject))]) : vs;
  }),

  r('GET', '/subjects', (s, i) => s.read((st) => ok(core.listSubjects(st, flag(i.query, 'deleted'))))),
  r('POST', '/subjects/:', (s, i) =>
    s.read((st) => core.lookupSchema(st, p(i, 0), i.body, flag(i.query, 'normalize'), flag(i.query, 'deleted'))),
  ),
  r('DELETE', '/subjects/:', (s, i) =>
    s.change(`delete subject ${p(i, 0)}`, (st, now) => core.decideDeleteSubject(st, p(i, 0), flag(i.query, 'permanent'), now)),
  ),
  r('GET', '/subjects/:/versions', (s, i) => s.read((st) => core.listVersions(st, p(i, 0), flag(i.query, 'deleted')))),
  r('POST', '/subjects/:/versions', (s, i) =>
    s.change(`register ${p(i, 0)}`, (st, now) => core.decideRegister(st, p(i, 0), i.body, flag(i.query, 'normalize'), now)),
  ),
  r('GET', '/subjects/:/versions/:', (s, i) => s.read((st) => core.getVersion(st, p(i, 0), p(i, 1), flag(i.query, 'deleted')))),
  r('GET', '/subjects/:/versions/:/schema', (s, i) =>
    rawSchema(s.read((st) => core.getVersion(st, p(i, 0), p(i, 1), flag(i.query, 'deleted')))),
  ),
  r('GET', '/subjects/:/versions/:/referencedby', (s, i) => s.read((st) => core.referencedBy(st, p(i, 0), p(i, 1)))),
  r('DELETE', '/subjects/:/versions/:', (s, i) =>
    s.change(`delete ${p(i, 0)} version ${p(i, 1)}`, (st, now) =>
      core.decideDeleteVersion(st, p(i, 0), p(i, 1), flag(i.query, 'permanent'), now),
    ),
  ),

  r('POST', '/compatibility/subjects/:/versions', (s, i) => compat(s, i, undefined)),
  r('POST', '/compatibility/subjects/:/versions/:', (s, i) => compat(s, i, p(i, 1))),

  r('GET', '/config', (s) => s.read((st) => core.getCompatibility(st, null, true))),
  r('PUT', '/config', (s, i) => s.change('set global compatibility', (st, now) => core.decideSetCompatibility(st, null, i.body, now))),
  r('GET', '/config/:', (s, i) => s.read((st) => core.getCompatibility(st, p(i, 0), flag(i.query, 'defaultToGlobal')))),
  r('PUT', '/config/:', (s, i) =>
    s.change(`set compatibility ${p(i, 0)}`, (st, now) => core.decideSetCompatibility(st, p(i, 0), i.body, now)),
  ),
  r('DELETE', '/config/:', (s, i) =>
    s.change(`clear compatibility ${p(i, 0)}`, (st, now) => core.decideClearCompatibility(st, p(i, 0), now)),
  ),
];

function compat(s: RegistryService, i: RouteInput, version: string | undefined): RouteOutput {
  const res = s.read((st) => core.testCompatibility(st, p(i, 0), version, i.body, flag(i.query, 'normalize')));
  if (!res.ok) return res;
  return ok(flag(i.query, 'verbose') ? res.value : { is_compatible: res.value.is_compatible });
}

export type RouteMatch = { kind: 'route'; route: Route; params: string[] } | { kind: 'method-not-allowed' } | { kind: 'not-found' };

/** Exact segment match; unknown paths (including /associations/...) are 404, as in Confluent SR. */
export function matchRoute(method: string, segments: readonly string[]): RouteMatch {
  let pathMatched = false;
  for (const route of routes) {
    if (route.path.length !== segments.length) continue;
    const params: string[] = [];
    let hit = true;
    for (let k = 0; k < segments.length; k++) {
      const want = route.path[k];
      const got = segments[k] ?? '';
      if (want === ':') params.push(got);
      else if (want !== got) {
        hit = false;
        break;
      }
    }
    if (!hit) continue;
    pathMatched = true;
    if (route.method === method) return { kind: 'route', route, params };
  }
  return pathMatched ? { kind: 'method-not-allowed' } : { kind: 'not-found' };
}
