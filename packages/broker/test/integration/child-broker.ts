/** The broker as a child process (`warmcast broker`), for crash and shutdown tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

export interface ChildBroker {
  child: ChildProcess;
  port: number;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `warmcast broker --port 0 --data dir ...` and resolves once it logged its port. */
export function startChildBroker(dataDir: string, extra: string[] = []): Promise<ChildBroker> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'packages/cli/bin/warmcast.js', 'broker', '--port', '0', '--data', dataDir, ...extra], {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'info' },
  });
  let out = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      out += chunk.toString();
      for (const line of out.split('\n')) {
        if (!line.includes('"broker listening"')) continue;
        const port = (JSON.parse(line) as { port: number }).port;
        resolve({ child, port, output: () => out, exited });
        return;
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (c: Buffer) => { out += c.toString(); });
    void exited.then(({ code, signal }) => reject(new Error(`broker exited (${code ?? signal}) before listening:\n${out}`)));
  });
}
