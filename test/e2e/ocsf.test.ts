// --output ocsf end to end: the bundled CLI over the sample inventory; every record checked against the vendored
// OCSF 1.6.0 attribute lists (test/fixtures/ocsf, scripts/vendor-ocsf.ts), in a plain run, across a history (new,
// persisting, resolved, suppressed) and in a run whose passes were spilled to disk.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ocsfProblems } from '../report/ocsf-validate.js';
import { bundledCli, sample } from './bundled-cli.js';

const { work, run } = bundledCli('cli-ocsf');

type Rec = Record<string, any>;
function valid(records: Rec[]): void {
  const problems = records.flatMap((r, i) => ocsfProblems(r).map((p) => `${i} ${r.finding_info?.uid}: ${p}`));
  expect(problems).toEqual([]);
}

describe('--output ocsf', () => {
  it('writes one valid Compliance Finding per result of the demo', () => {
    const json = JSON.parse(run(['--inventory', sample, '--output', 'json', '--no-store']).stdout);
    const r = run(['--inventory', sample, '--output', 'ocsf', '--no-store']);
    expect(r.code).toBe(0);
    const records = JSON.parse(r.stdout) as Rec[];
    valid(records);
    expect(records).toHaveLength(json.results.length);
    expect(records.map((x) => x.finding_info.uid).sort()).toEqual(json.results.map((x: Rec) => x.findingId).sort());
    const byId = new Map(records.map((x) => [x.finding_info.uid, x]));
    for (const res of json.results as Rec[]) {
      const rec = byId.get(res.findingId)!;
      expect(rec.class_uid).toBe(2003);
      expect(rec.compliance.control).toBe(res.checkId);
      expect(rec.compliance.standards).toEqual(['AWS Well-Architected Serverless Lens']);
      expect(rec.compliance.status).toBe({ FAIL: 'Fail', PASS: 'Pass', NOT_ASSESSED: 'Unknown' }[res.status as string]);
      expect(rec.cloud).toMatchObject({ provider: 'AWS', account: { uid: res.accountId }, region: res.region });
      expect(rec.resources[0]).toMatchObject({ uid: res.resourceArn, type: res.resourceKind });
      expect(rec.metadata).toMatchObject({ version: '1.6.0', product: { name: 'lens-audit' }, correlation_uid: records[0]!.metadata.correlation_uid });
      if ((res.lens2022 ?? []).length > 0) expect(rec.compliance.requirements).toEqual(res.lens2022);
      // Without a history every failure is new.
      if (res.status === 'FAIL') expect([rec.activity_name, rec.status]).toEqual(['Create', 'New']);
      else expect(rec.status_id).toBeUndefined();
    }
    const failed = records.find((x) => x.compliance.status === 'Fail')!;
    expect(failed.severity_id).toBeGreaterThanOrEqual(2);
    expect(failed.remediation.references[0]).toMatch(/^https:\/\//);
  }, 240_000);

  it('follows the history: Create/New, then Update/In Progress, Suppressed, and Close/Resolved for a fixed finding', () => {
    const store = join(work, 'hist', 'state.json');
    const first = JSON.parse(run(['--inventory', sample, '--output', 'ocsf', '--store', store]).stdout) as Rec[];
    valid(first);
    const fails = first.filter((x) => x.compliance.status === 'Fail');
    expect(fails.length).toBeGreaterThan(2);
    expect(fails.every((x) => x.activity_id === 1 && x.status_id === 1)).toBe(true);
    const tracing = fails.find((x) => x.compliance.control === 'lambda.no-tracing')!;
    const suppressed = fails.find((x) => x.compliance.control !== 'lambda.no-tracing')!;
    const firstSeen = tracing.finding_info.first_seen_time;

    const inv = JSON.parse(readFileSync(sample, 'utf8'));
    for (const a of inv.accounts) for (const r of a.regions) for (const fn of r.resources.AwsLambdaFunction ?? []) if (fn.arn === tracing.resources[0].uid) fn.TracingConfig = { Mode: 'Active' };
    const fixed = join(work, 'fixed.json');
    writeFileSync(fixed, JSON.stringify(inv));
    const config = join(work, 'audit.json');
    writeFileSync(config, JSON.stringify({ suppressions: [{ check: suppressed.compliance.control, resource: suppressed.resources[0].uid, reason: 'accepted risk' }] }));
    const second = JSON.parse(run(['--inventory', fixed, '--output', 'ocsf', '--store', store, '--config', config]).stdout) as Rec[];
    valid(second);

    const close = second.filter((x) => x.activity_name === 'Close');
    expect(close).toHaveLength(1);
    expect(close[0]).toMatchObject({
      activity_id: 3, status_id: 4, status: 'Resolved', type_uid: 200303,
      finding_info: { uid: tracing.finding_info.uid, first_seen_time: firstSeen }, compliance: { control: 'lambda.no-tracing', status: 'Pass' },
    });
    const sup = second.find((x) => x.finding_info.uid === suppressed.finding_info.uid)!;
    expect(sup).toMatchObject({ activity_name: 'Update', status_id: 3, status: 'Suppressed', unmapped: { suppression_reason: 'accepted risk' } });
    const persisting = second.filter((x) => x.compliance.status === 'Fail' && x.finding_info.uid !== suppressed.finding_info.uid);
    expect(persisting.length).toBe(fails.length - 2);
    for (const p of persisting) {
      expect([p.activity_id, p.status_id, p.status]).toEqual([2, 2, 'In Progress']);
      const before = fails.find((x) => x.finding_info.uid === p.finding_info.uid)!;
      expect(p.finding_info.first_seen_time).toBe(before.finding_info.first_seen_time);
      expect(p.finding_info.last_seen_time).toBeGreaterThanOrEqual(before.finding_info.last_seen_time);
    }
  }, 240_000);

  it('writes the same valid records in a spilled run, as a JSON array and as NDJSON', () => {
    const held = JSON.parse(run(['--inventory', sample, '--output', 'ocsf', '--no-store']).stdout) as Rec[];
    const big = { TMPDIR: work, LENS_AUDIT_SPILL_ABOVE: '1' };
    const spilled = run(['--inventory', sample, '--output', 'ocsf', '--no-store'], big);
    expect(spilled.code).toBe(0);
    const records = JSON.parse(spilled.stdout) as Rec[];
    valid(records);
    expect(records.map((x) => x.finding_info.uid).sort()).toEqual(held.map((x) => x.finding_info.uid).sort());
    expect(records.filter((x) => x.compliance.status === 'Pass').length).toBeGreaterThan(100);

    const nd = run(['--inventory', sample, '--output', 'ocsf', '--ocsf-ndjson', '--no-store'], big);
    const lines = nd.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(held.length);
    const fromNd = lines.map((l) => JSON.parse(l) as Rec);
    valid(fromNd);
    expect(fromNd.map((x) => x.finding_info.uid).sort()).toEqual(held.map((x) => x.finding_info.uid).sort());
  }, 240_000);
});
