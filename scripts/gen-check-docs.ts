// Writes docs/checks.md from the checks' metadata: `npx tsx scripts/gen-check-docs.ts`.
// test/docs.test.ts fails when the file is out of date.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ALL_CHECKS } from '../checks/index.js';
import { renderChecksDoc } from '../src/report/checks-list.js';

const target = join(import.meta.dirname, '..', 'docs', 'checks.md');
mkdirSync(dirname(target), { recursive: true });
writeFileSync(target, renderChecksDoc(ALL_CHECKS));
console.log(`wrote ${target} (${ALL_CHECKS.length} checks)`);
