// The import rules of the layers (README "Architecture"), read from the import graph of the source files:
// no import circles; the check registry (checks/index.ts) is imported only by the entry points, which pass it in;
// the model imports nothing outside itself; engine, collectors, state, reports and sinks never import checks/; the
// Lambda handlers never call a sink (the deliver stage does); the engine imports neither shell (the Lambda, the CLI);
// and outside the model and the engine a run's results are read through resultSet(report) only.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '..');
const SOURCES = ['src', 'checks'];
/** The entry points: the CLI, the Lambda handlers, and the worker thread of a sharded scan (engine/workers.ts). */
const ENTRY_POINTS = ['src/cli.ts', 'src/lambda/handlers.ts', 'src/worker.ts'];

function files(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(ROOT, dir))) {
    const rel = `${dir}/${name}`;
    if (statSync(join(ROOT, rel)).isDirectory()) out.push(...files(rel));
    else if (rel.endsWith('.ts') && !rel.endsWith('.d.ts')) out.push(rel);
  }
  return out;
}

/** file → the project files it imports (static `import`/`export ... from`, and dynamic `import('...')`). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of SOURCES.flatMap(files)) {
    const text = readFileSync(join(ROOT, file), 'utf8');
    const targets = new Set<string>();
    for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^;]*?\bfrom\s+'(\.[^']+)'|\bimport\(\s*'(\.[^']+)'\s*\)/g)) {
      const spec = (m[1] ?? m[2])!;
      const target = relative(ROOT, resolve(ROOT, dirname(file), spec)).replace(/\.js$/, '.ts');
      targets.add(target);
    }
    graph.set(file, [...targets]);
  }
  return graph;
}

/** Strongly connected components with more than one file (Tarjan), or a file importing itself. */
function cycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return out;
}

describe('import rules', () => {
  const graph = importGraph();

  it('reads a graph of every source file', () => {
    expect(graph.size).toBeGreaterThan(150);
    expect(graph.get('src/cli.ts')).toContain('checks/index.ts');
  });

  it('has no import circles', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it('finds a circle when there is one (the rule can fail)', () => {
    const g = new Map(graph);
    expect(graph.get('src/model/check.ts')).toContain('src/model/taxonomy.ts');
    g.set('src/model/taxonomy.ts', [...(g.get('src/model/taxonomy.ts') ?? []), 'src/model/check.ts']);
    expect(cycles(g)).toContainEqual(['src/model/check.ts', 'src/model/taxonomy.ts']);
  });

  it('imports the check registry (and any check) only in the entry points', () => {
    const offenders = [...graph].filter(([file, deps]) => file.startsWith('src/') && !ENTRY_POINTS.includes(file) && deps.some((d) => d.startsWith('checks/')));
    expect(offenders.map(([f]) => f)).toEqual([]);
  });

  it('keeps the model free of every other layer', () => {
    const offenders = [...graph].filter(([file, deps]) => file.startsWith('src/model/') && deps.some((d) => !d.startsWith('src/model/')));
    expect(offenders.map(([f]) => f)).toEqual([]);
  });

  it('lets checks see only the model and checks/lib', () => {
    const offenders = [...graph].filter(([file, deps]) => file.startsWith('checks/') && file !== 'checks/index.ts' && deps.some((d) => d.startsWith('src/') && !d.startsWith('src/model/')));
    expect(offenders.map(([f]) => f)).toEqual([]);
  });

  it('keeps the lower layers from importing the upper ones', () => {
    const upper = (d: string) => d.startsWith('src/engine/') || d.startsWith('src/lambda/') || d === 'src/cli.ts';
    const lower = ['src/aws/', 'src/collect/', 'src/state/', 'src/report/', 'src/sinks/'];
    const offenders = [...graph].filter(([file, deps]) => lower.some((l) => file.startsWith(l)) && deps.some(upper));
    expect(offenders.map(([f]) => f)).toEqual([]);
  });

  it('keeps the engine free of the entry points: the stages both shells compose import neither', () => {
    const shell = (d: string) => d.startsWith('src/lambda/') || d === 'src/cli.ts' || d.startsWith('src/cli/');
    const offenders = [...graph].filter(([file, deps]) => file.startsWith('src/engine/') && deps.some(shell));
    expect(offenders.map(([f]) => f)).toEqual([]);
    expect(graph.get('src/lambda/handlers.ts')).toEqual(expect.arrayContaining(['src/engine/account-stage.ts', 'src/engine/finish-run.ts']));
  });

  it('lets the Lambda handlers call no sink: the deliver stage does', () => {
    const offenders = [...graph].filter(([file, deps]) => file.startsWith('src/lambda/') && deps.some((d) => d.startsWith('src/sinks/')));
    expect(offenders.map(([f]) => f)).toEqual([]);
  });
});

/** Reads of a run's results other than resultSet(report): its spill, the model's helpers, or a report's held results alone. */
const RESULT_READ = /\.passSpill\b|\ballResults\(|\bresultCount\(|\b(?:report|view)\.results\b/;
/** The layers that read a run's results only through resultSet (the model defines it, the engine makes the spill). */
const RESULT_READERS = ['src/report', 'src/cli', 'src/sinks', 'src/lambda'];

/** The source without its comments (a comment may name the spill). */
const code = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');

describe('one way to read results', () => {
  it('renderers, sinks and the entry points read a run\'s results through resultSet only', () => {
    const read = RESULT_READERS.flatMap(files).concat('src/cli.ts');
    expect(read.length).toBeGreaterThan(20);
    const offenders = read.filter((file) => RESULT_READ.test(code(readFileSync(join(ROOT, file), 'utf8'))));
    expect(offenders).toEqual([]);
  });

  it('finds a direct read when there is one (the rule can fail)', () => {
    for (const line of ['report.passSpill?.dispose();', 'for (const r of allResults(report)) {}', 'n = resultCount(report);', 'const f = report.results.filter(keep);', 'renderAsff(view.results, {})']) {
      expect(RESULT_READ.test(code(line)), line).toBe(true);
    }
    for (const line of ['for (const r of resultSet(report)) {}', 'const f = resultSet(report).held.filter(keep);', '// report.passSpill is read by resultSet', 'input.results.filter(keep)']) {
      expect(RESULT_READ.test(code(line)), line).toBe(false);
    }
  });
});
