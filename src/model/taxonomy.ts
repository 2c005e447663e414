// The words results and checks share: severities, Well-Architected pillars, Serverless Lens questions.
import type { LENS_2018, LENS_2022 } from './lens.js';

/** ASFF severity labels, lowest first. */
export const SEVERITIES = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
export type Severity = (typeof SEVERITIES)[number];

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

export type Pillar = 'OPS' | 'SEC' | 'REL' | 'PERF' | 'COST';

/** Serverless Lens question ids, Nov-2018 revision (catalogue.md §1; src/model/lens.ts has the questions). */
export type LensQuestion = keyof typeof LENS_2018;
/** Serverless Lens question ids, July 2022 revision (src/model/lens.ts). */
export type LensQuestion2022 = keyof typeof LENS_2022;
