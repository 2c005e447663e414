// Results and findings (design.md "Results and findings"). Types only.
import type { LensQuestion, LensQuestion2022, Pillar, Severity } from './taxonomy.js';


export type Status = 'PASS' | 'FAIL' | 'NOT_ASSESSED';

export interface Result {
  /** sha256(checkId|accountId|region|resourceArn[|subKey]), 32 hex chars; never changes between runs. */
  findingId: string;
  checkId: string;
  title: string;
  status: Status;
  severity: Severity;
  pillar: Pillar;
  lens: LensQuestion[];
  /** Serverless Lens questions of the July 2022 revision (always set by the engine; absent in reports of older versions). */
  lens2022?: LensQuestion2022[];
  accountId: string;
  region: string;
  resourceKind: string;
  resourceArn: string;
  resourceName: string;
  message: string;
  evidence?: Record<string, unknown>;
  /** Present when a suppression applies: the result stays in the output, marked. */
  suppressed?: { reason: string; expires?: string };
  /** Set by the state store: NEW (first seen this run) or PERSISTING. */
  history?: { state: 'NEW' | 'PERSISTING'; firstSeen: string };
  /** The resource's tags of the keys asked for (runAudit `tagKeys`, for grouping reports by tag); absent otherwise. */
  tags?: Record<string, string>;
}
