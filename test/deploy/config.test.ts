import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../../checks/index.js';
import { loadDeployConfig } from '../../deploy/lib/load-config.js';
import { UsageError } from '../../src/engine/errors.js';
import { loadRuntimeConfig, parseDeployConfig, runtimeConfig } from '../../src/lambda/config.js';

describe('deploy configuration', () => {
  it('fills in the defaults: nightly at 03:00 UTC, the auditor account, Security Hub on, Slack off', () => {
    const c = parseDeployConfig({}, ALL_CHECKS);
    expect(c.stackName).toBe('LensAudit');
    expect(c.schedule).toEqual({ expression: 'cron(0 3 * * ? *)', timeZone: 'UTC', enabled: true });
    expect(c.scan).toMatchObject({ accountConcurrency: 5, regionConcurrency: 4, distributedMap: false });
    expect(c.securityHub.enabled).toBe(true);
    expect(c.slack.enabled).toBe(false);
    expect(runtimeConfig(c)).toEqual({ scope: { roleName: 'LensAuditReadOnly' }, audit: {}, securityHub: true, retentionDays: 90 });
  });

  it('rejects what the handlers could not honour, naming it', () => {
    const bad = (raw: unknown) => () => parseDeployConfig(raw, ALL_CHECKS, 'config.json');
    expect(bad({ sheduel: {} })).toThrow(new UsageError('config.json: unknown key "sheduel"'));
    expect(bad({ scope: { regions: ['us-east-1', 'mars-north-1'] } })).toThrow(/config.json: scope.regions: unknown region "mars-north-1"/);
    expect(bad({ audit: { checks: { disabled: ['lambda.no-such-check'] } } })).toThrow(/config.json: audit: unknown check id "lambda.no-such-check"/);
    expect(bad({ scope: { ous: ['ou-ab12-cd34ef56'], org: false } })).toThrow(/scope.ous needs scope.org/);
    expect(bad({ schedule: { expression: '0 3 * * *' } })).toThrow(/schedule.expression: expected cron/);
    expect(bad({ logRetentionDays: 42 })).toThrow(/logRetentionDays: not a CloudWatch Logs retention period/);
    expect(parseDeployConfig({ scope: { ous: ['ou-ab12-cd34ef56'], externalId: 'ext-123' } }, ALL_CHECKS).scope.org).toBe(true);
  });

  it('reads a config file from context, with command-line overrides', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lens-audit-config-test-'));
    const file = join(dir, 'config.json');
    writeFileSync(file, JSON.stringify({ scope: { org: true, regions: ['us-east-1'], externalId: 'ext-123' }, slack: { enabled: true } }));
    const app = new App({ context: { configFile: file, regions: 'eu-west-1,eu-central-1', schedule: 'cron(30 1 * * ? *)' } });
    const c = loadDeployConfig(app);
    expect(c.scope).toEqual({ org: true, regions: ['eu-west-1', 'eu-central-1'], externalId: 'ext-123' });
    expect(c.schedule.expression).toBe('cron(30 1 * * ? *)');
    expect(c.slack.enabled).toBe(true);

    const inline = loadDeployConfig(new App({ context: { lensAudit: '{"scope":{"accounts":["111122223333"]}}', externalId: 'ext-123', regions: 'all' } }));
    expect(inline.scope).toEqual({ accounts: ['111122223333'], regions: 'all', externalId: 'ext-123' });
    expect(() => loadDeployConfig(new App({ context: { configFile: join(dir, 'missing.json') } }))).toThrow(/missing.json: ENOENT/);
  });

  it('fails synth when the member role needs an external id and the configuration has none', () => {
    const parse = (raw: unknown) => () => parseDeployConfig(raw, ALL_CHECKS, 'config.json');
    for (const scope of [{ org: true }, { ous: ['ou-ab12-cd34ef56'] }, { accounts: ['111122223333', '444455556666'] }]) {
      expect(parse({ scope })).toThrow(/^config.json: scope.externalId is missing, but the scope reaches member accounts .*member-role.yaml.*ExternalId/);
    }
    // Only the auditor's own account (no member role entered): none is needed.
    expect(parse({})).not.toThrow();
    expect(parse({ env: { account: '111122223333' }, scope: { accounts: ['111122223333'] } })).not.toThrow();
    expect(parse({ scope: { org: true, externalId: 'ext-123' } })).not.toThrow();
    // The same through cdk synth's configuration loader (-c externalId=... satisfies it).
    expect(() => loadDeployConfig(new App({ context: { lensAudit: { scope: { org: true } } } }))).toThrow(UsageError);
    expect(loadDeployConfig(new App({ context: { lensAudit: { scope: { org: true } }, externalId: 'ext-123' } })).scope.externalId).toBe('ext-123');
  });

  it('the handlers read the runtime part inline or from the bundled file, validated', () => {
    const rt = runtimeConfig(parseDeployConfig({ scope: { org: true, externalId: 'ext-123' }, slack: { enabled: true, always: true } }, ALL_CHECKS));
    expect(loadRuntimeConfig({ LENS_AUDIT_CONFIG: JSON.stringify(rt) })).toEqual(rt);
    const dir = mkdtempSync(join(tmpdir(), 'lens-audit-runtime-test-'));
    writeFileSync(join(dir, 'lens-audit.config.json'), JSON.stringify(rt));
    expect(loadRuntimeConfig({ LAMBDA_TASK_ROOT: dir })).toEqual(rt);
    expect(() => loadRuntimeConfig({ LENS_AUDIT_CONFIG_FILE: join(dir, 'nope.json') })).toThrow(/cannot read the runtime configuration .*nope.json: ENOENT/);
    expect(() => loadRuntimeConfig({ LENS_AUDIT_CONFIG: JSON.stringify({ ...rt, extra: 1 }) })).toThrow(/LENS_AUDIT_CONFIG: unknown key "extra"/);
  });

  it('takes the Well-Architected Tool workload (issue 19 point 3): off by default, validated, carried to the handlers', () => {
    const id = '0123456789abcdef0123456789abcdef';
    expect(parseDeployConfig({}, ALL_CHECKS).wellArchitected).toBeUndefined();
    expect(runtimeConfig(parseDeployConfig({}, ALL_CHECKS))).not.toHaveProperty('wellArchitected');
    const c = parseDeployConfig({ wellArchitected: { workloadId: id, milestone: true } }, ALL_CHECKS);
    expect(runtimeConfig(c).wellArchitected).toEqual({ workloadId: id, milestone: true });
    expect(loadRuntimeConfig({ LENS_AUDIT_CONFIG: JSON.stringify(runtimeConfig(c)) }).wellArchitected).toEqual({ workloadId: id, milestone: true });
    expect(runtimeConfig(parseDeployConfig({ wellArchitected: { workloadId: id } }, ALL_CHECKS)).wellArchitected).toEqual({ workloadId: id });
    const bad = (raw: unknown) => () => parseDeployConfig(raw, ALL_CHECKS, 'config.json');
    expect(bad({ wellArchitected: { workloadId: 'my-workload' } })).toThrow(/^config.json: wellArchitected.workloadId: a workload id is 32 hex characters/);
    expect(bad({ wellArchitected: { workloadId: id, milestones: true } })).toThrow('config.json: unknown key "wellArchitected.milestones"');
    expect(bad({ wellArchitected: {} })).toThrow(/wellArchitected.workloadId/);
    // -c waWorkload=ID on the command line.
    expect(loadDeployConfig(new App({ context: { waWorkload: id } })).wellArchitected).toEqual({ workloadId: id });
    expect(loadDeployConfig(new App({ context: { lensAudit: { wellArchitected: { workloadId: 'f'.repeat(32), milestone: true } }, waWorkload: id } })).wellArchitected).toEqual({ workloadId: id, milestone: true });
  });
});
