// The words results and checks share: severities, Well-Architected pillars, Serverless Lens questions.

/** ASFF severity labels, lowest first. */
export const SEVERITIES = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
export type Severity = (typeof SEVERITIES)[number];

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

export type Pillar = 'OPS' | 'SEC' | 'REL' | 'PERF' | 'COST';

/** Serverless Lens question ids, Nov-2018 revision (catalogue.md §1). */
export type LensQuestion =
  | 'SERVOPS 1' | 'SERVOPS 2'
  | 'SERVSEC 1' | 'SERVSEC 2' | 'SERVSEC 3' | 'SERVSEC 4' | 'SERVSEC 5' | 'SERVSEC 6' | 'SERVSEC 7'
  | 'SERVREL 1' | 'SERVREL 2' | 'SERVREL 3' | 'SERVREL 4' | 'SERVREL 5'
  | 'SERVPER 1' | 'SERVPER 2' | 'SERVPER 3' | 'SERVPER 4' | 'SERVPER 5' | 'SERVPER 6'
  | 'SERVCOST 1' | 'SERVCOST 2' | 'SERVCOST 3' | 'SERVCOST 4';
