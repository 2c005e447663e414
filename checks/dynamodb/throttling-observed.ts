import { defineCheck, type CheckExamples } from '../../src/model/index.js';
import { dailySeries, SERIES, seriesOf, total } from '../lib/metric-series.js';

const DAYS = 14;

const check = defineCheck({
  id: 'dynamodb.throttling-observed',
  title: 'DynamoDB table or index throttled requests in the last 14 days',
  description:
    'Throttled reads and writes are failed or retried requests: latency for callers and, in Lambda, retries that cost invocations ' +
    '(SERVPER 1, SERVREL 2). Sums ReadThrottleEvents and WriteThrottleEvents of the table and each GSI over 14 days. Needs --metrics.',
  severity: 'LOW',
  pillar: 'PERF',
  lens: ['SERVPER 1', 'SERVREL 2'],
  lens2022: ['SERVPERF 1', 'SERVREL 1'],
  resourceKind: 'AwsDynamoDbTable',
  uses: ['Metrics', 'GlobalSecondaryIndexes'],
  cost: 'M',
  remediation: {
    text: 'Raise provisioned capacity or enable auto scaling (or switch to on-demand), and look for hot partition keys with CloudWatch Contributor Insights.',
    url: 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/TroubleshootingThrottling.html',
  },
  peers: {},
  evaluate(table, ctx) {
    const d = SERIES.dynamodb;
    const parts: { label: string; read: string; write: string }[] = [
      { label: 'table', read: d.readThrottles, write: d.writeThrottles },
      ...(table.GlobalSecondaryIndexes ?? []).map((g) => ({ label: `index ${g.IndexName}`, read: d.gsiReadThrottles(g.IndexName ?? ''), write: d.gsiWriteThrottles(g.IndexName ?? '') })),
    ];
    const s = seriesOf(table.Metrics, parts.flatMap((p) => [p.read, p.write]));
    if (!s.ok) return ctx.notAssessed(`Table ${table.name}: ${s.reason}.`);
    const counts = parts.map((p) => ({ label: p.label, read: total(s.series[p.read]!, ctx.now, DAYS), write: total(s.series[p.write]!, ctx.now, DAYS) }));
    const throttled = counts.filter((c) => c.read + c.write > 0);
    return throttled.length > 0
      ? ctx.fail(`Table ${table.name} throttled requests in the last ${DAYS} days: ${throttled.map((c) => `${c.label} ${c.read} reads, ${c.write} writes`).join('; ')}.`, { throttled })
      : ctx.pass(`Table ${table.name} had no throttled requests in the last ${DAYS} days.`);
  },
});
export default check;

const zero = dailySeries([0, 0, 0]);

export const examples: CheckExamples<'AwsDynamoDbTable'> = {
  pass: [{ resource: { Metrics: { ReadThrottleEvents: zero, WriteThrottleEvents: dailySeries([]) } } }],
  fail: [
    {
      name: 'GSI write throttling',
      resource: {
        GlobalSecondaryIndexes: [{ IndexName: 'byDate' }],
        Metrics: { ReadThrottleEvents: zero, WriteThrottleEvents: zero, 'GSI:byDate:ReadThrottleEvents': zero, 'GSI:byDate:WriteThrottleEvents': dailySeries([0, 42, 0]) },
      },
    },
  ],
  notAssessed: [
    { name: 'GSI series missing', resource: { GlobalSecondaryIndexes: [{ IndexName: 'byDate' }], Metrics: { ReadThrottleEvents: zero, WriteThrottleEvents: zero } } },
    { name: 'metrics not collected', resource: {} },
  ],
};
