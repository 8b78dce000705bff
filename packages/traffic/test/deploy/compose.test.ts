// docker-compose.yml: valid for Debian's docker-compose (`config -q`, as .ci/run checks), and
// every warmcast container finds Kafka and the registry through the WARMCAST_* keys. No
// docker engine here: the file is checked, not run. The resolved file (anchors merged) is
// read through PyYAML, which Debian's docker-compose depends on.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const FILE = `${ROOT}docker-compose.yml`;

interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
}

async function available(cmd: string, args: string[]): Promise<boolean> {
  try {
    await run(cmd, args);
    return true;
  } catch {
    return false;
  }
}

async function resolved(): Promise<Record<string, ComposeService>> {
  const { stdout } = await run('docker-compose', ['-f', FILE, 'config'], { env: { ...process.env, WARMCAST_INGEST_HMAC_KEY: '' } });
  const json = await new Promise<string>((resolve, reject) => {
    const child = execFile('python3', ['-c', 'import json, sys, yaml; print(json.dumps(yaml.safe_load(sys.stdin)))'], (err, out) => (err ? reject(err) : resolve(out)));
    child.stdin?.end(stdout);
  });
  return (JSON.parse(json) as { services: Record<string, ComposeService> }).services;
}

describe('docker-compose.yml', async () => {
  const compose = await available('docker-compose', ['version']);
  const pyyaml = await available('python3', ['-c', 'import yaml']);

  it('passes docker-compose config -q', async (ctx) => {
    if (!compose) {
      console.warn('skipped: docker-compose is not installed (apt-get install docker-compose)');
      ctx.skip();
    }
    await expect(run('docker-compose', ['-f', FILE, 'config', '-q'])).resolves.toBeDefined();
  });

  it('gives every warmcast service WARMCAST_KAFKA_BROKERS and WARMCAST_REGISTRY_URL pointing at the compose services', async (ctx) => {
    if (!compose || !pyyaml) {
      console.warn(`skipped: ${compose ? 'python3 with PyYAML' : 'docker-compose'} is not installed`);
      ctx.skip();
    }
    const services = await resolved();
    const ours = Object.entries(services).filter(([, s]) => s.image === 'warmcast:local');
    expect(ours.map(([n]) => n).sort()).toEqual(['adapters', 'aggregator', 'ingest', 'init-topics', 'profiler', 'scaler', 'traffic', 'warehouse']);
    for (const [name, s] of ours) {
      expect(s.environment?.['WARMCAST_KAFKA_BROKERS'], name).toBe('kafka:19092');
      expect(s.environment?.['WARMCAST_REGISTRY_URL'], name).toBe('http://schema-registry:8081');
    }
    for (const infra of ['kafka', 'schema-registry', 'clickhouse']) expect(services[infra], infra).toBeDefined();
    expect(services['kafka']?.image).toBe('apache/kafka:3.8.0');
    expect(services['schema-registry']?.image).toBe('confluentinc/cp-schema-registry:7.7.1');
    expect(services['clickhouse']?.image).toBe('clickhouse/clickhouse-server:24.8');
    // long-running services wait for the topics and the registry
    for (const [name, s] of ours.filter(([n]) => n !== 'init-topics')) {
      expect(s.depends_on?.['init-topics']?.condition, name).toBe('service_completed_successfully');
    }
    // entry points follow services/<x>/src/main.ts; one not written yet is reported, not failed
    const missing = ours.flatMap(([, s]) => (s.command ?? []).filter((a) => a.endsWith('.ts') && !existsSync(`${ROOT}${a}`)));
    if (missing.length > 0) console.warn(`docker-compose.yml: entry points not in the tree yet: ${missing.join(', ')}`);
  });
});
