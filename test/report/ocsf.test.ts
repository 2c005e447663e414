import { describe, expect, it } from 'vitest';
import noTracing from '../../checks/lambda/no-tracing.js';
import type { Check } from '../../src/model/index.js';
import { ocsfChunks, ocsfOfResolved, ocsfOfResult, type OcsfOptions } from '../../src/report/ocsf.js';
import type { AuditReport } from '../../src/model/index.js';
import { result } from '../state/helpers.js';
import { ocsfProblems } from './ocsf-validate.js';

const check = noTracing as unknown as Check;
const opts: OcsfOptions = { checkFor: (id) => (id === check.id ? check : undefined) };
const run = { runId: 'run-1', finishedAt: '2026-06-01T03:00:00.000Z' };
const NOW = Date.parse(run.finishedAt);
const FIRST = '2026-04-01T03:00:00.000Z';

describe('ocsfOfResult', () => {
  it('maps new, persisting and suppressed failures, passes and not-assessed results, all valid OCSF 1.6.0', () => {
    const fresh = ocsfOfResult(result('FAIL', 'a'), run, opts);
    const persisting = ocsfOfResult({ ...result('FAIL', 'b'), history: { state: 'PERSISTING', firstSeen: FIRST } }, run, opts);
    const suppressed = ocsfOfResult({ ...result('FAIL', 'c', { suppressed: 'known' }), history: { state: 'NEW', firstSeen: FIRST } }, run, opts);
    const pass = ocsfOfResult(result('PASS', 'd'), run, opts);
    const na = ocsfOfResult(result('NOT_ASSESSED', 'e'), run, opts);
    for (const r of [fresh, persisting, suppressed, pass, na]) expect(ocsfProblems(r)).toEqual([]);
    expect(fresh).toMatchObject({ activity_id: 1, status_id: 1, status: 'New', type_uid: 200301, severity_id: 2, finding_info: { first_seen_time: NOW, last_seen_time: NOW } });
    expect(persisting).toMatchObject({ activity_id: 2, status_id: 2, status: 'In Progress', finding_info: { first_seen_time: Date.parse(FIRST), last_seen_time: NOW } });
    expect(suppressed).toMatchObject({ activity_id: 1, status_id: 3, status: 'Suppressed', unmapped: { suppression_reason: 'known' } });
    expect(pass).toMatchObject({ activity_id: 2, severity_id: 1, compliance: { status_id: 1, status: 'Pass' } });
    expect(pass.status_id).toBeUndefined();
    expect(na).toMatchObject({ compliance: { status_id: 0, status: 'Unknown', status_details: ['NOT_ASSESSED e'] } });
    expect(fresh.compliance).toEqual({ standards: ['AWS Well-Architected Serverless Lens'], control: 'lambda.no-tracing', requirements: ['SERVOPS 1'], status_id: 3, status: 'Fail' });
    expect(fresh.unmapped).toMatchObject({ lens_2018: ['SERVOPS 1'], cspm_controls: ['Lambda.7'], pillar: 'OPS' });
  });

  it('a resolved finding is a Close record with status Resolved', () => {
    const r = result('FAIL', 'a');
    const { suppressed: _s, ...rest } = r;
    const close = ocsfOfResolved({ ...rest, firstSeen: FIRST, resolvedAt: run.finishedAt }, run, opts);
    expect(ocsfProblems(close)).toEqual([]);
    expect(close).toMatchObject({ activity_id: 3, activity_name: 'Close', status_id: 4, status: 'Resolved', finding_info: { uid: r.findingId, first_seen_time: Date.parse(FIRST) } });
  });

  it('streams a JSON array or NDJSON', () => {
    const report = { ...run, results: [result('FAIL', 'a'), result('PASS', 'b')], resolved: [] } as unknown as AuditReport;
    expect(JSON.parse([...ocsfChunks(report, opts)].join(''))).toHaveLength(2);
    expect([...ocsfChunks(report, { ...opts, ndjson: true })].join('').trimEnd().split('\n').map((l) => JSON.parse(l))).toHaveLength(2);
    expect(JSON.parse([...ocsfChunks({ ...report, results: [] }, opts)].join(''))).toEqual([]);
  });
});

describe('the OCSF validator', () => {
  const good = ocsfOfResult(result('FAIL', 'a'), run, opts) as unknown as Record<string, any>;
  it('finds missing, unknown, deprecated, mistyped and out-of-enum attributes', () => {
    const { compliance: _c, ...noCompliance } = good;
    expect(ocsfProblems(noCompliance)).toContain('compliance: required');
    expect(ocsfProblems({ ...good, findingId: 'x' })).toContain('findingId: not an attribute of the class');
    expect(ocsfProblems({ ...good, resource: good.resources[0] })).toContain('resource: deprecated');
    expect(ocsfProblems({ ...good, time: '2026-06-01' })).toEqual([expect.stringMatching(/^time: expected an integer/)]);
    expect(ocsfProblems({ ...good, status_id: 7 })).toContainEqual(expect.stringMatching(/^status_id: 7 is not one of/));
    expect(ocsfProblems({ ...good, status: 'Open' })).toEqual([expect.stringMatching(/^status: "Open" is not the caption of status_id 1/)]);
    expect(ocsfProblems({ ...good, type_uid: 200302 })).toContain('type_uid: 200302 is not class_uid * 100 + activity_id');
    expect(ocsfProblems({ ...good, finding_info: { ...good.finding_info, uid: undefined } })).toEqual(expect.arrayContaining([expect.stringMatching(/finding_info.uid/)]));
    expect(ocsfProblems({ ...good, cloud: { ...good.cloud, provider: undefined } })).toEqual(expect.arrayContaining(['cloud.provider: null']));
    expect(ocsfProblems({ ...good, resources: good.resources[0] })).toContain('resources: expected an array');
    expect(ocsfProblems({ ...good, metadata: { ...good.metadata, profiles: [] } })).toContain('cloud: belongs to profile cloud, not applied in metadata.profiles');
    expect(ocsfProblems({ ...good, osint: [] })).toContain('osint: belongs to profile osint, not applied in metadata.profiles');
  });
});
