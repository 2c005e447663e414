// A saved inventory (--inventory) is validated field by field against the shapes the checks read: a wrong type
// anywhere is a one-line UsageError naming the JSON path (exit 2), never evaluated (a PASS on `Timeout: "3"`).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SimulatedAws } from '../../bench/sim/aws.js';
import { ESTATES, accessKeyId } from '../../bench/sim/estate.js';
import { ALL_CHECKS } from '../../checks/index.js';
import { UsageError } from '../../src/engine/errors.js';
import { parseInventory } from '../../src/engine/inventory-file.js';
import { runAudit } from '../../src/engine/run-audit.js';

const SAMPLE = join(import.meta.dirname, '..', '..', 'examples', 'sample-inventory.json');
const sample = () => JSON.parse(readFileSync(SAMPLE, 'utf8'));
const regionWith = (inv: any, kind: string) => inv.accounts[0].regions.find((r: any) => r.resources[kind]?.length);
const first = (inv: any, kind: string) => regionWith(inv, kind).resources[kind][0];
const accountRegion = (inv: any) => first(inv, 'AwsAccountRegion');

function refusal(inv: unknown): string {
  try {
    parseInventory(inv, 'inventory file x.json');
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).not.toMatch(/[\n\r]/);
    return (err as Error).message;
  }
  throw new Error('accepted');
}

describe('parseInventory: wrong-typed fields', () => {
  const R = 'accounts\\.0\\.regions\\.\\d+\\.resources';
  const cases: [string, (inv: any) => void, RegExp][] = [
    ['Timeout a string', (inv) => (first(inv, 'AwsLambdaFunction').Timeout = '3'), new RegExp(`${R}\\.AwsLambdaFunction\\.0\\.Timeout \\(arn:aws:lambda:[^)]+\\): expected number, received string`)],
    ['MemorySize "lots"', (inv) => (first(inv, 'AwsLambdaFunction').MemorySize = 'lots'), /AwsLambdaFunction\.0\.MemorySize .*expected number, received string/],
    ['Timeout null', (inv) => (first(inv, 'AwsLambdaFunction').Timeout = null), /AwsLambdaFunction\.0\.Timeout .*expected number, received null/],
    ['Role a number', (inv) => (first(inv, 'AwsLambdaFunction').Role = 12345), /AwsLambdaFunction\.0\.Role .*expected string, received number/],
    ['Runtime an object', (inv) => (first(inv, 'AwsLambdaFunction').Runtime = {}), /AwsLambdaFunction\.0\.Runtime .*expected string, received object/],
    ['Environment.Variables a string', (inv) => (first(inv, 'AwsLambdaFunction').Environment = { Variables: 'DB_PASSWORD=x' }), /AwsLambdaFunction\.0\.Environment\.Variables .*expected object, received string/],
    ['an environment value kept raw (not a profile)', (inv) => (first(inv, 'AwsLambdaFunction').Environment = { Variables: { DB_PASSWORD: 'hunter2' } }), /Environment\.Variables\.DB_PASSWORD .*expected object, received string/],
    ['Description raw text', (inv) => (first(inv, 'AwsLambdaFunction').Description = 'token=abc'), /AwsLambdaFunction\.0\.Description .*expected object/],
    ['a region\'s functions not an array', (inv) => (regionWith(inv, 'AwsLambdaFunction').resources.AwsLambdaFunction = { 0: {} }), new RegExp(`${R}\\.AwsLambdaFunction: expected array, received object`)],
    ['a gap with no reason', (inv) => (first(inv, 'AwsLambdaFunction').gaps = { Policy: { operation: 'lambda:GetPolicy', code: 'AccessDeniedException' } }), /AwsLambdaFunction\.0\.gaps\.Policy\.message .*expected string, received undefined/],
    ['a list gap with no code', (inv) => (regionWith(inv, 'AwsLambdaFunction').listGaps = [{ kind: 'AwsLambdaFunction', scopeArn: 'arn:aws:lambda:us-east-1:111122223333:account', operation: 'lambda:ListFunctions', message: 'x' }]), /listGaps\.0\.code: expected string, received undefined/],
    ['tags values not strings', (inv) => (first(inv, 'AwsDynamoDbTable').tags = { owner: 7 }), /AwsDynamoDbTable\.0\.tags\.owner .*expected string, received number/],
    ['retentionInDays a string', (inv) => (first(inv, 'AwsLogsLogGroup').retentionInDays = '30'), /AwsLogsLogGroup\.0\.retentionInDays .*expected number/],
    ['TracingConfig.Mode a boolean', (inv) => (first(inv, 'AwsLambdaFunction').TracingConfig = { Mode: true }), /TracingConfig\.Mode .*expected string, received boolean/],
    ['a policy statement a string', (inv) => (first(inv, 'AwsSnsTopic').Policy = { Statement: ['allow everyone'] }), /AwsSnsTopic\.0\.Policy\.Statement.* expected object, received string|Statement.*expected array/],
    ['a policy statement with a wrong-typed field', (inv) => (first(inv, 'AwsSnsTopic').Policy = { Statement: { Effect: 'Allow', Action: 7 } }), /AwsSnsTopic\.0\.Policy\.Statement\.Action .*expected string or array, received number/],
    ['stage methodSettings a list', (inv) => (first(inv, 'AwsApiGatewayStage').methodSettings = [{ loggingLevel: 'INFO' }]), /AwsApiGatewayStage\.0\.methodSettings .*expected object, received array/],
    ['tracingEnabled "false"', (inv) => (first(inv, 'AwsApiGatewayStage').tracingEnabled = 'false'), /AwsApiGatewayStage\.0\.tracingEnabled .*expected boolean, received string/],
    ['Alarm type unknown', (inv) => (first(inv, 'AwsCloudWatchAlarm').AlarmType = 'Metric'), /AwsCloudWatchAlarm\.0\.AlarmType .*expected "MetricAlarm" or "CompositeAlarm", received "Metric"/],
    ['a quota value a string', (inv) => (accountRegion(inv).ServiceQuotas = { 'lambda/L-B99A9384': { value: '1000', source: 'applied' } }), /AwsAccountRegion\.0\.ServiceQuotas\.lambda\/L-B99A9384\.value|ServiceQuotas\."lambda\/L-B99A9384"\.value .*expected number/],
    ['Counts a list', (inv) => (accountRegion(inv).Counts = [1, 2]), /AwsAccountRegion\.0\.Counts .*expected object, received array/],
    ['IAM role policy documents a string', (inv) => (first(inv, 'AwsIamRole').RolePolicyList = '[]'), /AwsIamRole\.0\.RolePolicyList .*expected array, received string/],
    ['a resource without an ARN', (inv) => (first(inv, 'AwsKinesisStream').arn = ''), /AwsKinesisStream\.0\.arn: expected a non-empty string/],
    ['a resource under another kind', (inv) => { const r = regionWith(inv, 'AwsSnsTopic'); r.resources.AwsLambdaFunction = [r.resources.AwsSnsTopic[0]]; }, /AwsLambdaFunction\.0\.kind \(arn:aws:sns:[^)]+\): a AwsSnsTopic resource is listed under AwsLambdaFunction/],
    ['an unknown kind', (inv) => (inv.accounts[0].regions[0].resources.AwsSqsQueue = []), /accounts\.0\.regions\.0\.resources: unknown key "AwsSqsQueue"/],
    ['errors not a list', (inv) => (inv.errors = {}), /x\.json: errors: expected array, received object/],
  ];
  it.each(cases)('%s: refused, naming the path', (_label, mutate, message) => {
    const inv = sample();
    mutate(inv);
    expect(refusal(inv)).toMatch(message);
  });

  it('every value of a typed field in the sample, changed to another type, is refused', () => {
    const raw = sample();
    const leaves: (string | number)[][] = [];
    const walk = (v: unknown, path: (string | number)[]) => {
      if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...path, Array.isArray(v) ? Number(k) : k]);
      else leaves.push(path);
    };
    walk(raw, []);
    const accepted: string[] = [];
    for (const path of leaves) {
      const inv = sample();
      let o = inv;
      for (const k of path.slice(0, -1)) o = o[k];
      const v = o[path.at(-1)!];
      o[path.at(-1)!] = typeof v === 'number' ? String(v) : typeof v === 'string' ? { x: 1 } : typeof v === 'boolean' ? 'true' : { x: 1 };
      try {
        parseInventory(inv);
        accepted.push(path.join('.'));
      } catch (err) {
        expect(err).toBeInstanceOf(UsageError);
      }
    }
    expect(leaves.length).toBeGreaterThan(1500);
    // `null` where a policy may be absent: a document-shaped object is a (loose) policy document.
    expect(accepted.filter((p) => !/\.(Policy|policy)$/.test(p))).toEqual([]);
  });

  it('keeps fields the model does not name (AWS adds fields) and returns the object itself, not a copy', () => {
    const inv = sample();
    first(inv, 'AwsLambdaFunction').SomethingNew = { Nested: [1, 'two'] };
    inv.accounts[0].regions[0].futureField = true;
    const parsed = parseInventory(inv);
    expect(parsed).toBe(inv);
    expect((parsed.accounts[0]!.regions[0] as any).futureField).toBe(true);
  });
});

describe('parseInventory: real inventories load', () => {
  it('examples/sample-inventory.json', () => {
    expect(parseInventory(sample()).accounts).toHaveLength(1);
  });

  it('an inventory of the benchmark estate S collected through the real SDK clients, with metrics, saved and re-read', async () => {
    const sim = new SimulatedAws({ spec: ESTATES.S, latencyMs: 0, limits: false });
    const out = await runAudit({
      checks: ALL_CHECKS,
      regions: [...ESTATES.S.regions],
      metrics: true,
      keepInventory: true,
      aws: { credentials: { accessKeyId: accessKeyId(0), secretAccessKey: 'simulated' }, requestHandler: sim, pacing: false },
    });
    const saved = JSON.parse(JSON.stringify(out.inventory));
    const inv = parseInventory(saved, 'bench S');
    const functions = inv.accounts[0]!.regions.flatMap((r) => r.resources.AwsLambdaFunction ?? []);
    expect(functions).toHaveLength(ESTATES.S.perAccount.functions);
    expect(functions.filter((f) => f.Metrics && Object.keys(f.Metrics).length > 0)).not.toHaveLength(0);
    // The re-read inventory evaluates as the collected one did.
    const again = await runAudit({ checks: ALL_CHECKS, inventory: inv });
    expect(again.report.summary).toMatchObject({ pass: out.report.summary.pass, fail: out.report.summary.fail, notAssessed: out.report.summary.notAssessed });
  });
});
