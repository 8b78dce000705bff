// Static code features from source text, counted on tree-sitter syntax trees (maintained
// grammars, not regular expressions). The parsers are loaded by the shell (async wasm I/O) and
// injected; this file only walks trees.
//
// Definitions (worked example in test/core/features.test.ts):
// - lines: non-blank lines (a line with any non-whitespace character, comments included).
// - functions: function definitions incl. methods, lambdas and arrow functions.
// - imports: import statements (one per statement, not per name), `export ... from`, and calls
//   of require(...) / dynamic import(...).
// - cyclomaticComplexity: McCabe summed over the module body and every function, i.e.
//   1 (module) + 1 per function + 1 per decision point. Decision points:
//     Python: if, elif, for, while, except, case, `and`/`or`, conditional expression,
//             comprehension `for` and `if`.
//     JS/TS:  if (else-if is a nested if), for, for-in/of, while, do-while, switch case (not
//             default), catch, ternary, `&&` `||` `??`.
// A tree with syntax errors gives null (a counter in the shell): counts from a broken tree
// would be wrong without saying so.
import type { Language } from '@warmcast/kit';

/** The part of web-tree-sitter's TreeCursor this file uses (kept structural so the core needs no wasm). */
export interface SyntaxCursor {
  readonly nodeType: string;
  /** Keyword tokens are anonymous nodes whose type is their text ('lambda', 'function'): skip them. */
  readonly nodeIsNamed: boolean;
  readonly currentNode: { childForFieldName(name: string): { readonly type: string; readonly text: string } | null };
  gotoFirstChild(): boolean;
  gotoNextSibling(): boolean;
  gotoParent(): boolean;
}

export interface SyntaxTree {
  readonly rootNode: { readonly hasError: boolean; walk(): SyntaxCursor };
  delete(): void;
}

/** One loaded grammar per language: parse(text) returns a tree or null. */
export type CodeParsers = Partial<Record<Language, { parse(text: string): SyntaxTree | null }>>;

export interface CodeFeaturesValue {
  readonly lines: number;
  readonly cyclomaticComplexity: number;
  readonly imports: number;
  readonly functions: number;
  readonly derivedFromSource: boolean;
}

interface Rules {
  readonly decisions: ReadonlySet<string>;
  readonly functions: ReadonlySet<string>;
  readonly imports: ReadonlySet<string>;
  /** Node types whose `operator` field decides (&&, ||, ??). */
  readonly logical: ReadonlySet<string>;
}

const PYTHON: Rules = {
  decisions: new Set(['if_statement', 'elif_clause', 'for_statement', 'while_statement', 'except_clause', 'case_clause', 'boolean_operator', 'conditional_expression', 'for_in_clause', 'if_clause']),
  functions: new Set(['function_definition', 'lambda']),
  imports: new Set(['import_statement', 'import_from_statement', 'future_import_statement']),
  logical: new Set(),
};

const JS: Rules = {
  decisions: new Set(['if_statement', 'for_statement', 'for_in_statement', 'while_statement', 'do_statement', 'switch_case', 'catch_clause', 'ternary_expression']),
  functions: new Set(['function_declaration', 'function_expression', 'function', 'arrow_function', 'method_definition', 'generator_function_declaration', 'generator_function']),
  imports: new Set(['import_statement']),
  logical: new Set(['binary_expression']),
};

const RULES: Partial<Record<Language, Rules>> = { PYTHON, JAVASCRIPT: JS, TYPESCRIPT: JS };
const LOGICAL_OPS = new Set(['&&', '||', '??']);

export function countNonBlankLines(text: string): number {
  let lines = 0;
  let blank = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) { if (!blank) lines += 1; blank = true; } else if (c !== 32 && c !== 9 && c !== 13 && c !== 12 && c !== 11) blank = false;
  }
  return blank ? lines : lines + 1;
}

/** Features of one tree; the caller owns (and deletes) the tree. */
export function featuresOfTree(tree: SyntaxTree, language: Language, text: string): CodeFeaturesValue | null {
  const rules = RULES[language];
  if (rules === undefined || tree.rootNode.hasError) return null;
  let decisions = 0;
  let functions = 0;
  let imports = 0;
  const c = tree.rootNode.walk();
  // Pre-order walk without recursion: down, else next sibling, else up until a sibling exists.
  for (;;) {
    const t = c.nodeType;
    if (!c.nodeIsNamed) { /* a token */ } else if (rules.decisions.has(t)) decisions += 1;
    else if (rules.functions.has(t)) functions += 1;
    else if (rules.imports.has(t)) imports += 1;
    else if (rules.logical.has(t)) { const op = c.currentNode.childForFieldName('operator'); if (op !== null && LOGICAL_OPS.has(op.type)) decisions += 1; }
    else if (language !== 'PYTHON' && isJsImportLike(c)) imports += 1;
    if (c.gotoFirstChild()) continue;
    while (!c.gotoNextSibling()) { if (!c.gotoParent()) return { lines: countNonBlankLines(text), cyclomaticComplexity: 1 + functions + decisions, imports, functions, derivedFromSource: true }; }
  }
}

/** require('x'), import('x') and `export ... from 'x'` load a module like an import statement. */
function isJsImportLike(c: SyntaxCursor): boolean {
  if (c.nodeType === 'call_expression') {
    const fn = c.currentNode.childForFieldName('function');
    return fn !== null && (fn.type === 'import' || (fn.type === 'identifier' && fn.text === 'require'));
  }
  if (c.nodeType === 'export_statement') return c.currentNode.childForFieldName('source') !== null;
  return false;
}

/** Parses and counts; null when the language has no parser or the source does not parse. */
export function deriveFeatures(parsers: CodeParsers, language: Language, text: string): CodeFeaturesValue | null {
  const parser = parsers[language];
  if (parser === undefined) return null;
  const tree = parser.parse(text);
  if (tree === null) return null;
  try {
    return featuresOfTree(tree, language, text);
  } finally {
    tree.delete(); // wasm memory is not garbage-collected
  }
}
