// Delivery through the CLI against the mocked estate: what Security Hub receives, and what --output asff prints.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { ACCOUNT, ANSWERS, estateForCli } from '../hardening/estate.js';

const estate = estateForCli();

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  const code = await main([...args, '--quiet'], { stdout, stderr, env: {} });
  return { code, stdout: out, stderr: err };
}

/** Every finding sent, with the Region of the client that sent it. */
function sent(): (AwsSecurityFinding & { sentTo: string })[] {
  return estate.calls
    .filter((c) => c.service === 'securityhub' && c.operation === 'BatchImportFindings')
    .flatMap((c) => (c.input.Findings as AwsSecurityFinding[]).map((f) => ({ ...f, sentTo: c.region })));
}

describe('Security Hub central mode with --accounts / --org (D4)', () => {
  it('imports under the auditor account, and --output asff prints the same account, product and Region', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lens-audit-sh-'));
    const out = join(dir, 'asff.json');
    const r = await cli(['--regions', 'eu-west-1,us-east-1', '--accounts', ACCOUNT, '--store', join(dir, 'state.json'), '--security-hub', '--security-hub-mode', 'central', '--output', 'asff', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const findings = sent();
    expect(findings.length).toBeGreaterThan(0);
    for (const f of findings) {
      expect(f.AwsAccountId).toBe(ACCOUNT);
      expect(f.ProductArn).toBe(`arn:aws:securityhub:${f.sentTo}:${ACCOUNT}:product/${ACCOUNT}/default`);
    }
    const printed = JSON.parse(readFileSync(out, 'utf8')) as AwsSecurityFinding[];
    const key = (f: AwsSecurityFinding) => `${f.Id} ${f.AwsAccountId} ${f.ProductArn} ${f.Resources?.[0]?.Region}`;
    expect(printed.map(key).sort()).toEqual(findings.map(key).sort());
  });
});

describe('global findings have one home Region (D7)', () => {

  /** The execution role also trusts another account: a global (IAM) finding. */
  function broadTrust() {
    const details = ANSWERS['iam:GetAccountAuthorizationDetails']!;
    estate.answers['iam:GetAccountAuthorizationDetails'] = (i, r) => {
      const out = details(i, r) as { RoleDetailList: { AssumeRolePolicyDocument: string }[] };
      out.RoleDetailList[0]!.AssumeRolePolicyDocument = encodeURIComponent(JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com', AWS: 'arn:aws:iam::444455556666:root' }, Action: 'sts:AssumeRole' }],
      }));
      return out;
    };
  }

  it('whatever the order of --regions: us-east-1 by default, --security-hub-region when set', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lens-audit-sh-'));
    const regionsOf = async (args: string[]) => {
      estate.reset();
      broadTrust();
      const r = await cli([...args, '--store', join(dir, `${args.join('_')}.json`), '--security-hub', '--output', 'json']);
      expect(r.code, r.stderr).toBe(0);
      const ids = new Set((JSON.parse(r.stdout).results as { findingId: string; region: string; status: string }[]).filter((x) => x.region === 'global' && x.status === 'FAIL').map((x) => `lens-audit/${x.findingId}`));
      const global = sent().filter((f) => ids.has(f.Id!));
      expect(global.length).toBeGreaterThan(0);
      return [...new Set(global.map((f) => `${f.sentTo} ${f.Resources![0]!.Region}`))];
    };
    expect(await regionsOf(['--regions', 'eu-west-1,us-east-1'])).toEqual(['us-east-1 us-east-1']);
    expect(await regionsOf(['--regions', 'us-east-1,eu-west-1'])).toEqual(['us-east-1 us-east-1']);
    expect(await regionsOf(['--regions', 'eu-west-1'])).toEqual(['us-east-1 us-east-1']);
    expect(await regionsOf(['--regions', 'us-east-1', '--security-hub-region', 'eu-west-1'])).toEqual(['eu-west-1 eu-west-1']);
  });

  it('an unknown --security-hub-region is bad usage, before anything is stored', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lens-audit-sh-'));
    const r = await cli(['--regions', 'us-east-1', '--store', join(dir, 'state.json'), '--security-hub', '--security-hub-region', 'mars-1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown region "mars-1"/);
    expect(estate.calls).toEqual([]);
  });
});
