// --skip-cspm-overlap: leave out the checks whose ground an enabled Security Hub CSPM standard already covers.
//
// Which controls are enabled: live, from the Security Hub of the credentials' account in the run's home region —
// GetEnabledStandards, then DescribeStandardsControls of every READY or INCOMPLETE subscription, keeping the controls
// whose ControlStatus is ENABLED (ControlId is the control's id, `Lambda.1`, in FSBP, NIST 800-53 and the tagging standard;
// CIS and PCI number their controls differently, and those ids simply never match). In a delegated administrator account
// with central configuration that is the organization's policy; otherwise it is the auditor account's, so pass the
// member accounts' list explicitly (`--cspm-controls`). Offline (`--inventory`) the list must be explicit.
// A check is skipped only when every (non-retired) control it names is enabled: a check broader than one control
// (tags.missing covers Lambda.6, DynamoDB.5, Kinesis.2 and SNS.3) still runs while any of them is off.
import { DescribeStandardsControlsCommand, GetEnabledStandardsCommand, type SecurityHubClient } from '@aws-sdk/client-securityhub';
import { CSPM_CONTROLS, type Check } from '../model/index.js';

export type SecurityHubReader = Pick<SecurityHubClient, 'send'>;

/** The control ids enabled in the enabled standards of one account and region. */
export async function enabledCspmControls(client: SecurityHubReader): Promise<Set<string>> {
  const subscriptions: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new GetEnabledStandardsCommand({ MaxResults: 100, ...(token ? { NextToken: token } : {}) }));
    for (const s of page.StandardsSubscriptions ?? []) {
      if (s.StandardsSubscriptionArn && (s.StandardsStatus === 'READY' || s.StandardsStatus === 'INCOMPLETE')) subscriptions.push(s.StandardsSubscriptionArn);
    }
    token = page.NextToken;
  } while (token);
  const enabled = new Set<string>();
  for (const arn of subscriptions) {
    let next: string | undefined;
    do {
      const page = await client.send(new DescribeStandardsControlsCommand({ StandardsSubscriptionArn: arn, MaxResults: 100, ...(next ? { NextToken: next } : {}) }));
      for (const c of page.Controls ?? []) if (c.ControlId && c.ControlStatus === 'ENABLED') enabled.add(c.ControlId);
      next = page.NextToken;
    } while (next);
  }
  return enabled;
}

/** The CSPM controls of a check that can run today (retired ones never do). */
function liveControls(check: Check): string[] {
  return (check.peers.cspm ?? []).filter((id) => CSPM_CONTROLS[id] !== undefined && !CSPM_CONTROLS[id]!.retired);
}

/** Splits the selected checks: those CSPM already runs (every live control of theirs enabled), and the rest. */
export function splitCspmOverlap(checks: readonly Check[], enabled: ReadonlySet<string>): { keep: Check[]; skipped: { check: Check; controls: string[] }[] } {
  const keep: Check[] = [];
  const skipped: { check: Check; controls: string[] }[] = [];
  for (const c of checks) {
    const controls = liveControls(c);
    if (controls.length > 0 && controls.every((id) => enabled.has(id))) skipped.push({ check: c, controls });
    else keep.push(c);
  }
  return { keep, skipped };
}

/** `--cspm-controls Lambda.1,SNS.1`: ids checked against the controls our checks name (a typo would skip nothing). */
export function parseCspmControls(ids: string[]): Set<string> {
  const unknown = ids.filter((id) => !(id in CSPM_CONTROLS));
  if (unknown.length > 0) throw new Error(`unknown CSPM control ${unknown.join(', ')} (known: ${Object.keys(CSPM_CONTROLS).join(', ')})`);
  return new Set(ids);
}
