import { defineCheck, type CheckExamples } from '../../src/model/index.js';
import { isProvisioned, scalableTargets } from '../lib/dynamodb.js';
import { dailySeries, lastDays, round, SERIES, seriesOf } from '../lib/metric-series.js';

const DAYS = 14;

const check = defineCheck({
  id: 'dynamodb.overprovisioned',
  title: 'Provisioned DynamoDB table uses a small part of its capacity',
  description:
    'Provisioned capacity is billed whether used or not. Fails when a PROVISIONED table without auto scaling on that dimension peaked below ' +
    'maximumPeakPercent (20%) of its provisioned read or write capacity over 14 days (SERVPER 1, cost). The peak is the highest 5-minute ' +
    'average of consumed units per second, so short bursts within 5 minutes are smoothed. Needs --metrics.',
  severity: 'LOW',
  pillar: 'COST',
  lens: ['SERVPER 1'],
  lens2022: ['SERVCOST 1', 'SERVPERF 1'],
  resourceKind: 'AwsDynamoDbTable',
  uses: ['BillingModeSummary', 'ProvisionedThroughput', 'Metrics', 'TableName'],
  needs: ['AwsAccountRegion'],
  cost: 'M',
  options: { maximumPeakPercent: 20, minimumProvisionedUnits: 5 },
  remediation: {
    text: 'Lower the provisioned capacity, enable auto scaling with target tracking, or switch to on-demand if traffic is spiky or low.',
    url: 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/capacity-mode.html',
  },
  peers: {},
  evaluate(table, ctx) {
    if (!isProvisioned(table)) return;
    const known = scalableTargets(ctx.list('AwsAccountRegion')[0]);
    if (!known.ok) return ctx.notAssessed(`Table ${table.name}: auto scaling unknown: ${known.reason}.`);
    const s = seriesOf(table.Metrics, [SERIES.dynamodb.readPeak, SERIES.dynamodb.writePeak]);
    if (!s.ok) return ctx.notAssessed(`Table ${table.name}: ${s.reason}.`);
    const limit = Number(ctx.options.maximumPeakPercent);
    const minUnits = Number(ctx.options.minimumProvisionedUnits);
    const dims = [
      { dim: 'read', provisioned: table.ProvisionedThroughput?.ReadCapacityUnits, series: s.series[SERIES.dynamodb.readPeak]!, target: 'dynamodb:table:ReadCapacityUnits' },
      { dim: 'write', provisioned: table.ProvisionedThroughput?.WriteCapacityUnits, series: s.series[SERIES.dynamodb.writePeak]!, target: 'dynamodb:table:WriteCapacityUnits' },
    ].filter((d) => !known.targets.has(`table/${table.TableName}|${d.target}`));
    if (dims.length === 0) return; // both dimensions auto-scale
    const findings: { dimension: string; provisioned: number; peakPerSecond: number; peakPercent: number }[] = [];
    for (const d of dims) {
      if (d.provisioned === undefined) return ctx.notAssessed(`Provisioned ${d.dim} capacity of table ${table.name} is unknown.`);
      if (d.provisioned < minUnits) continue;
      const peak = Math.max(0, ...lastDays(d.series, ctx.now, DAYS).map(([, v]) => v));
      findings.push({ dimension: d.dim, provisioned: d.provisioned, peakPerSecond: round(peak, 2), peakPercent: round((100 * peak) / d.provisioned) });
    }
    const low = findings.filter((f) => f.peakPercent < limit);
    if (low.length > 0) {
      return ctx.fail(
        `Table ${table.name} peaked at ${low.map((f) => `${f.peakPercent}% of ${f.provisioned} ${f.dimension} units`).join(' and ')} in ${DAYS} days (limit ${limit}%).`,
        { dimensions: findings },
      );
    }
    return ctx.pass(`Table ${table.name} used at least ${limit}% of its fixed provisioned capacity at peak.`, { dimensions: findings });
  },
});
export default check;

const noScaling = { kind: 'AwsAccountRegion' as const, DynamoDbScalableTargets: [] };
const provisioned = (rcu: number, wcu: number) => ({ BillingModeSummary: { BillingMode: 'PROVISIONED' }, ProvisionedThroughput: { ReadCapacityUnits: rcu, WriteCapacityUnits: wcu } });
const peaks = (read: number[], write: number[]) => ({ ConsumedReadCapacityPeak: dailySeries(read, 'PeakPerSecond'), ConsumedWriteCapacityPeak: dailySeries(write, 'PeakPerSecond') });

export const examples: CheckExamples<'AwsDynamoDbTable'> = {
  pass: [
    { name: 'well used', resource: { ...provisioned(100, 50), Metrics: peaks([30, 80, 40], [20, 10, 5]) }, others: [noScaling] },
    { name: 'on-demand: does not apply', resource: { BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' } }, count: 0 },
  ],
  fail: [{ name: 'reads at 5%', resource: { ...provisioned(1000, 50), Metrics: peaks([50, 20, 10], [20, 30, 10]) }, others: [noScaling] }],
  notAssessed: [
    { name: 'metrics not collected', resource: provisioned(100, 100), others: [noScaling] },
    { name: 'scalable targets not collected', resource: { ...provisioned(100, 100), Metrics: peaks([1], [1]) } },
  ],
};
