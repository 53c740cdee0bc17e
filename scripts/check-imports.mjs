#!/usr/bin/env node
// `npm run check:imports`: proves DESIGN.md's one-way flow on the TypeScript import graph of src/ and checks/.
//   1. No import cycle (value imports, dynamic import() included; `import type` is erased and not counted).
//   2. Each room imports only the rooms below it: facts import nothing above them, checks import facts (and
//      the check contract), renderers import no fact module at run time (they get facts as data), nothing
//      imports the commands or the CLI.
//   3. Only the fixer writes: no file-changing fs call outside src/fix/ (the --report file is the one
//      exception, named below with its reason).
// Uses the TypeScript compiler's parser (already a devDependency): no new dependency. Exit 1 on a violation.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = process.argv[2] ? path.resolve(process.argv[2]) : path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Rooms, lowest first. A file belongs to the first room whose test matches. */
const ROOMS = [
  ['base', (f) => ['src/engine/options.ts', 'src/engine/context.ts', 'src/version.ts'].includes(f) || f.startsWith('src/json5/') || f.startsWith('src/util/')],
  // The causes table is data every reader shares (probe, logs, transcripts, renderers): below the facts.
  ['causes', (f) => f.startsWith('src/causes/')],
  ['contract', (f) => f === 'src/engine/types.ts' || f === 'src/engine/repairs.ts'],
  ['facts', (f) => f.startsWith('src/facts/')],
  ['checks', (f) => f.startsWith('checks/')],
  ['report', (f) => f.startsWith('src/report/')],
  ['engine', (f) => f.startsWith('src/engine/')],
  ['fix', (f) => f.startsWith('src/fix/')],
  ['commands', (f) => f.startsWith('src/commands/')],
  ['cli', (f) => ['src/cli.ts', 'src/args.ts', 'src/main.ts'].includes(f)],
];

/** What each room may import at run time. Type-only imports may also reach `typesFrom`. */
const ALLOWED = {
  base: { runtime: ['base'] },
  causes: { runtime: ['base', 'causes'] },
  facts: { runtime: ['base', 'causes', 'facts'] },
  // The contract's SkipCheck is the facts' FactUnavailable (src/facts/unavailable.ts).
  contract: { runtime: ['base', 'facts', 'contract'] },
  checks: { runtime: ['base', 'causes', 'contract', 'facts', 'checks'] },
  // Renderers get facts as data: at run time only the contract, the causes table, the redactor and the
  // runner's counts.
  report: { runtime: ['base', 'causes', 'contract', 'report', 'src/engine/runner.ts'], typesFrom: ['facts', 'engine'] },
  // The engine runs checks and gathers their facts; of the renderers it uses only the redactor.
  engine: { runtime: ['base', 'causes', 'contract', 'facts', 'checks', 'engine', 'src/report/redact.ts'], typesFrom: ['report'] },
  fix: { runtime: ['base', 'causes', 'contract', 'facts', 'engine', 'report', 'fix'] },
  commands: { runtime: ['base', 'causes', 'contract', 'facts', 'engine', 'report', 'fix', 'commands'] },
  cli: { runtime: ['base', 'causes', 'contract', 'facts', 'engine', 'report', 'fix', 'commands', 'cli'] },
};

/** Writes outside src/fix/, each with why it is not a change to the user's setup. */
const WRITERS_ALLOWED = {
  'src/commands/report.ts': '--report --output FILE writes the report the user asked for (atomically, mode 0600)',
};
const WRITE_CALL = /\b(?:fs|fsp|promises)\.(writeFile|appendFile|rename|rm|rmdir|unlink|mkdir|mkdtemp|chmod|chown|copyFile|cp|createWriteStream|truncate|utimes|symlink|link)(?:Sync)?\s*\(/g;

function walk(dir) {
  const out = [];
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

const rel = (abs) => path.relative(ROOT, abs).split(path.sep).join('/');
const roomOf = (f) => ROOMS.find(([, test]) => test(f))?.[0];

/** Every relative import of a file: `{ target, typeOnly, line }`. */
function importsOf(file) {
  const text = fs.readFileSync(file, 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found = [];
  const add = (spec, typeOnly, node) => {
    if (!spec.startsWith('.')) return;
    const target = path.resolve(path.dirname(file), spec.replace(/\.js$/, '.ts'));
    found.push({ target: rel(target), typeOnly, line: sf.getLineAndCharacterOfPosition(node.getStart()).line + 1 });
  };
  const visit = (node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = ts.isImportDeclaration(node) ? node.importClause : undefined;
      const typeOnly = ts.isImportDeclaration(node)
        ? !!clause && (clause.isTypeOnly || (!clause.name && !!clause.namedBindings && ts.isNamedImports(clause.namedBindings) && clause.namedBindings.elements.length > 0 && clause.namedBindings.elements.every((e) => e.isTypeOnly)))
        : node.isTypeOnly || (!!node.exportClause && ts.isNamedExports(node.exportClause) && node.exportClause.elements.length > 0 && node.exportClause.elements.every((e) => e.isTypeOnly));
      add(node.moduleSpecifier.text, typeOnly, node);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) {
      add(node.arguments[0].text, false, node);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      add(node.argument.literal.text, true, node);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return { found, text };
}

const files = [...walk(path.join(ROOT, 'src')), ...walk(path.join(ROOT, 'checks'))].map(rel).sort();
const problems = [];
const graph = new Map();
for (const f of files) {
  const room = roomOf(f);
  if (!room) {
    problems.push(`${f}: belongs to no room of DESIGN.md (add it to scripts/check-imports.mjs ROOMS)`);
    continue;
  }
  const { found, text } = importsOf(path.join(ROOT, f));
  graph.set(f, found.filter((i) => !i.typeOnly).map((i) => i.target));
  for (const i of found) {
    const to = roomOf(i.target);
    const rule = ALLOWED[room];
    const ok = rule.runtime.includes(to) || rule.runtime.includes(i.target) || (i.typeOnly && (rule.typesFrom ?? []).includes(to));
    if (!ok) problems.push(`${f}:${i.line}: ${room} imports ${i.typeOnly ? 'the types of ' : ''}${to ?? 'outside src/'} (${i.target})`);
  }
  if (!f.startsWith('src/fix/') && !WRITERS_ALLOWED[f]) {
    for (const m of text.matchAll(WRITE_CALL)) {
      const line = text.slice(0, m.index).split('\n').length;
      problems.push(`${f}:${line}: writes (${m[0].replace(/\s*\($/, '')}) outside src/fix/: only the fixer changes the machine`);
    }
  }
}

// Cycles: depth-first search over value imports.
const state = new Map();
const stack = [];
function dfs(f) {
  state.set(f, 'open');
  stack.push(f);
  for (const t of graph.get(f) ?? []) {
    if (!graph.has(t)) continue;
    if (state.get(t) === 'open') problems.push(`import cycle: ${[...stack.slice(stack.indexOf(t)), t].join(' → ')}`);
    else if (!state.has(t)) dfs(t);
  }
  stack.pop();
  state.set(f, 'done');
}
for (const f of graph.keys()) if (!state.has(f)) dfs(f);

if (problems.length) {
  process.stderr.write(`check:imports: ${problems.length} problem(s)\n${problems.map((p) => `  ${p}`).join('\n')}\n`);
  process.exit(1);
}
process.stdout.write(`check:imports: ${files.length} files, no cycle, the one-way flow holds (DESIGN.md).\n`);
