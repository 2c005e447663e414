// The check registry: every file under checks/ is listed here once (test/checks.test.ts enforces it).
// Keep the list sorted by id.
import type { Check } from '../src/model/index.js';
import lambdaNoTracing from './lambda/no-tracing.js';

export const ALL_CHECKS: readonly Check[] = [
  lambdaNoTracing,
] as unknown as readonly Check[];

export function checkById(id: string): Check | undefined {
  return ALL_CHECKS.find((c) => c.id === id);
}
