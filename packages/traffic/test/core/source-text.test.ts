// The synthesised snippets must be real code: ingest parses them with tree-sitter, and a snippet
// that does not parse would only feed it error nodes. Python goes through python3's ast (when
// installed), JavaScript through V8 (as ES modules), TypeScript through tsc's transpiler and then V8.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synthesizeSource } from '../../src/core/source-text.ts';

const run = promisify(execFile);
const IDS = Array.from({ length: 120 }, (_, i) => `fn-${i}`);
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'warmcast-snippets-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** V8 parses every file as an ES module in one child process (node --check per file is ~0.5 s each). */
async function parseAsModules(files: string[]): Promise<string[]> {
  const script = `const vm = require('node:vm'); const fs = require('node:fs'); const bad = [];
for (const f of process.argv.slice(1)) { try { new vm.SourceTextModule(fs.readFileSync(f, 'utf8'), { identifier: f }); } catch (e) { bad.push(f + ': ' + e.message); } }
process.stdout.write(bad.join('\\n'));`;
  const { stdout } = await run(process.execPath, ['--experimental-vm-modules', '--no-warnings', '-e', script, ...files]);
  return stdout.trim() === '' ? [] : stdout.trim().split('\n');
}

describe('synthesised source parses', () => {
  it('JavaScript and TypeScript', async () => {
    const files: string[] = [];
    for (const [i, id] of IDS.entries()) {
      const js = join(dir, `js${i}.mjs`);
      await writeFile(js, synthesizeSource(id, 'JAVASCRIPT') ?? '');
      const out = ts.transpileModule(synthesizeSource(id, 'TYPESCRIPT') ?? '', { reportDiagnostics: true, compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
      expect(out.diagnostics ?? []).toEqual([]);
      const tsJs = join(dir, `ts${i}.mjs`);
      await writeFile(tsJs, out.outputText);
      files.push(js, tsJs);
    }
    expect(await parseAsModules(files)).toEqual([]);
  });

  it('Python', async (ctx) => {
    try {
      await run('python3', ['-c', 'import ast']);
    } catch {
      console.warn('skipped: python3 is not installed');
      ctx.skip();
    }
    const files: string[] = [];
    for (const [i, id] of IDS.entries()) {
      const f = join(dir, `py${i}.py`);
      await writeFile(f, synthesizeSource(id, 'PYTHON') ?? '');
      files.push(f);
    }
    const script = 'import ast, sys\nbad = []\nfor f in sys.argv[1:]:\n  try: ast.parse(open(f).read())\n  except SyntaxError as e: bad.append(f + ": " + str(e))\nprint("\\n".join(bad))';
    const { stdout } = await run('python3', ['-c', script, ...files]);
    expect(stdout.trim()).toBe('');
  });
});
