// docs/checks.md is generated from the checks' metadata; this fails when someone changed a check and did not regenerate it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../checks/index.js';
import { CHECK_DOCS_HEADER, renderChecksDoc } from '../src/report/checks-list.js';

describe('docs/checks.md', () => {
  const onDisk = readFileSync(join(import.meta.dirname, '..', 'docs', 'checks.md'), 'utf8');

  it('is generated', () => {
    expect(onDisk.startsWith(CHECK_DOCS_HEADER)).toBe(true);
  });

  it('is up to date with the checks (regenerate with: npx tsx scripts/gen-check-docs.ts)', () => {
    expect(onDisk === renderChecksDoc(ALL_CHECKS), 'docs/checks.md is stale: run npx tsx scripts/gen-check-docs.ts').toBe(true);
  });

  it('documents every registered check', () => {
    for (const c of ALL_CHECKS) expect(onDisk).toContain(`## ${c.id}\n`);
  });
});
