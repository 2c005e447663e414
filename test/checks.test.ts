// Generic test over every check: registry parity, metadata, and each check's own examples.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../checks/index.js';
import { runExample } from '../src/engine/examples.js';
import { CSPM_CONTROLS, LENS_2018, LENS_2022, SEVERITIES, type Check, type CheckExamples } from '../src/model/index.js';

const root = join(import.meta.dirname, '..', 'checks');
function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.ts') && f !== 'index.ts' && !f.startsWith('_') ? [p] : [];
  });
}
const files = walk(root).filter((f) => !relative(root, f).startsWith('lib'));
const modules = await Promise.all(
  files.map(async (f) => ({ file: relative(root, f), mod: (await import(f)) as { default: Check; examples?: CheckExamples } })),
);

/** checks/lambda/no-tracing.ts → lambda.no-tracing; checks/apigw/rest/no-tracing.ts → apigw.rest.no-tracing */
function idFromFile(file: string): string {
  return file.replace(/\.ts$/, '').split('/').join('.');
}

describe('check registry', () => {
  it('registers every check file exactly once', () => {
    const registered = new Set(ALL_CHECKS);
    const missing = modules.filter((m) => !registered.has(m.mod.default)).map((m) => m.file);
    expect(missing).toEqual([]);
    expect(ALL_CHECKS.length).toBe(modules.length);
  });
  it('has unique ids that match their file names', () => {
    const ids = ALL_CHECKS.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const m of modules) expect(m.mod.default.id, m.file).toBe(idFromFile(m.file));
  });
});

describe.each(modules.map((m) => [m.mod.default.id, m] as const))('%s', (_id, { mod }) => {
  const check = mod.default;
  it('declares complete metadata', () => {
    expect(check.title.length).toBeGreaterThan(10);
    expect(check.title).not.toMatch(/^Ensure/);
    expect(check.description.length).toBeGreaterThan(20);
    expect(SEVERITIES).toContain(check.severity);
    expect(['OPS', 'SEC', 'REL', 'PERF', 'COST']).toContain(check.pillar);
    expect(check.lens.length).toBeGreaterThan(0);
    for (const q of check.lens) expect(q).toMatch(/^SERV(OPS|SEC|REL|PER|COST) \d$/);
    for (const q of check.lens) expect(Object.keys(LENS_2018)).toContain(q);
    expect(Array.isArray(check.lens2022)).toBe(true);
    for (const q of check.lens2022) expect(Object.keys(LENS_2022)).toContain(q);
    // Data-protection checks serve no 2022 question; every other check serves at least one.
    if (!check.lens.every((q) => q === 'SERVSEC 6')) expect(check.lens2022.length).toBeGreaterThan(0);
    for (const id of check.peers.cspm ?? []) expect(Object.keys(CSPM_CONTROLS), `unknown CSPM control ${id}`).toContain(id);
    expect(check.remediation.text.length).toBeGreaterThan(10);
    expect(check.remediation.url).toMatch(/^https:\/\//);
    expect(check.uses.length + (check.needs?.length ?? 0)).toBeGreaterThan(0);
  });

  const examples = mod.examples;
  it('has pass, fail and not-assessed examples', () => {
    expect(examples, 'export const examples').toBeDefined();
    expect(examples!.pass.length).toBeGreaterThan(0);
    expect(examples!.fail.length).toBeGreaterThan(0);
    expect(examples!.notAssessed.length).toBeGreaterThan(0);
  });
  if (!examples) return;
  const cases = (['pass', 'fail', 'notAssessed'] as const).flatMap((kind) =>
    examples[kind].map((ex, i) => ({ kind, ex, label: `${kind} #${i + 1}${ex.name ? ` (${ex.name})` : ''}` })),
  );
  it.each(cases)('$label', ({ kind, ex }) => {
    const undeclared: string[] = [];
    const results = runExample(check, ex, (_c, what) => undeclared.push(what));
    const expected = kind === 'pass' ? 'PASS' : kind === 'fail' ? 'FAIL' : 'NOT_ASSESSED';
    expect(results.length).toBe(ex.count ?? 1);
    for (const r of results) {
      expect(r.status).toBe(expected);
      expect(r.checkId).toBe(check.id);
      expect(r.findingId).toMatch(/^[0-9a-f]{32}$/);
      expect(r.message.length).toBeGreaterThan(0);
    }
    if (ex.severity) expect(results[0]!.severity).toBe(ex.severity);
    expect(undeclared, 'reads outside uses/needs').toEqual([]);
  });
});
