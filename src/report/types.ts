// Input of the human-facing renderers (html, csv, end summary): the JSON report of design.md.
export type { AuditReport } from '../model/index.js';

/** Check metadata the renderers need but a result does not carry (remediation). */
export type CheckInfoLookup = (
  checkId: string,
) => { remediation: { text: string; url: string }; pillar: string; lens: string[] } | undefined;
