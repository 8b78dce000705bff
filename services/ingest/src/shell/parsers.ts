// Loads the tree-sitter grammars (wasm files from tree-sitter-wasms, run by web-tree-sitter
// 0.25.x: 0.27 cannot load these grammars). Async file I/O, so a shell concern; the result is
// injected into the core (core/features.ts).
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Language as TsLanguage, Parser } from 'web-tree-sitter';
import type { Language } from '@warmcast/kit';
import type { CodeParsers, SyntaxTree } from '../core/features.ts';

const GRAMMARS: Partial<Record<Language, string>> = {
  PYTHON: 'tree-sitter-python.wasm',
  JAVASCRIPT: 'tree-sitter-javascript.wasm',
  TYPESCRIPT: 'tree-sitter-typescript.wasm',
};

// The wasm runtime is initialised once per process (web-tree-sitter keeps it module-global
// anyway); every service instance gets its own Parser objects.
let runtime: Promise<void> | undefined;

export function grammarDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('tree-sitter-wasms/package.json')), 'out');
}

export async function loadParsers(dir: string = grammarDir()): Promise<CodeParsers> {
  runtime ??= Parser.init();
  await runtime;
  const parsers: CodeParsers = {};
  for (const [lang, file] of Object.entries(GRAMMARS) as [Language, string][]) {
    const language = await TsLanguage.load(new Uint8Array(await readFile(join(dir, file))));
    const parser = new Parser();
    parser.setLanguage(language);
    parsers[lang] = { parse: (text: string): SyntaxTree | null => parser.parse(text) as SyntaxTree | null };
  }
  return parsers;
}
