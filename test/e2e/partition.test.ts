// A scan in aws-cn shape, end to end (issue 16 point 4): the same mocked estate answered with aws-cn ARNs in cn-north-1
// gives the same verdicts as in aws/us-east-1, and no output names the `aws` partition.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { ANSWERS, estateForCli } from '../hardening/estate.js';

const estate = estateForCli();

/** Every answer of the estate, as the aws-cn partition gives it (ARNs in plain and in URL-encoded policy documents). */
function toChina(v: unknown): unknown {
  if (typeof v === 'string') return v.replaceAll('arn:aws:', 'arn:aws-cn:').replaceAll('arn%3Aaws%3A', 'arn%3Aaws-cn%3A');
  if (Array.isArray(v)) return v.map(toChina);
  // Dates (and byte arrays) as the SDK gives them stay what they are.
  if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toChina(x)]));
  return v;
}

function chinaAnswers(): void {
  for (const [key, answer] of Object.entries(ANSWERS)) estate.answers[key] = (input, region) => toChina(answer(input, region) ?? {});
}

async function scan(region: string, output: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'lens-audit-partition-'));
  const out = join(dir, 'report');
  const stderr = new PassThrough();
  let err = '';
  stderr.on('data', (d) => (err += d));
  const stdout = new PassThrough();
  stdout.resume();
  const code = await main(['--regions', region, '--no-store', '--quiet', '--output', output, '--out', out, '--security-hub-mode', 'central'], { stdout, stderr, env: {} });
  expect(code, err).toBe(0);
  return readFileSync(out, 'utf8');
}

type Res = { checkId: string; status: string; resourceArn: string; resourceName: string; region: string };

describe('a scan in the aws-cn partition', () => {
  it('judges the estate as in aws, with every ARN, product and console link in aws-cn', async () => {
    const aws = JSON.parse(await scan('us-east-1', 'json')) as { results: Res[] };
    estate.reset();
    chinaAnswers();
    const text = await scan('cn-north-1', 'json');
    const cn = JSON.parse(text) as { results: Res[] };
    expect(text).not.toContain('arn:aws:');
    for (const r of cn.results) expect(r.resourceArn, r.checkId).toMatch(/^arn:aws-cn:/);
    // The same verdicts, check by check and resource by resource (region aside).
    const verdicts = (rs: Res[]) => rs.map((r) => `${r.checkId} ${r.resourceName.replace(r.region, 'REGION')} ${r.region === 'global' ? 'global' : 'R'} ${r.status}`).sort();
    expect(verdicts(cn.results)).toEqual(verdicts(aws.results));

    estate.reset();
    chinaAnswers();
    const asff = JSON.parse(await scan('cn-north-1', 'asff')) as { ProductArn: string; Resources: { Partition: string; Region: string }[] }[];
    expect(asff.length).toBeGreaterThan(0);
    for (const f of asff) {
      expect(f.ProductArn).toMatch(/^arn:aws-cn:securityhub:cn-north-1:/);
      expect(f.Resources[0]!.Partition).toBe('aws-cn');
    }
    estate.reset();
    chinaAnswers();
    const html = await scan('cn-north-1', 'html');
    expect(html).toContain('console.amazonaws.cn');
    expect(html).not.toContain('console.aws.amazon.com');
  });
});
