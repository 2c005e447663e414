import { defineCheck, type CheckExamples } from '../../src/model/index.js';
import { byDay, dailySeries, round, SERIES, seriesOf } from '../lib/metric-series.js';

const check = defineCheck({
  id: 'lambda.high-error-rate',
  title: 'Lambda function had a day with a high error rate',
  description:
    'A function whose invocations end in error more than 10% of the time on some day is failing for its callers and paying for work that is thrown away. ' +
    'Trusted Advisor criterion (any day of the last 7); days with fewer invocations than minimumDailyInvocations are ignored. Needs --metrics (SERVOPS 1, SERVREL 5).',
  severity: 'MEDIUM',
  pillar: 'OPS',
  lens: ['SERVOPS 1', 'SERVREL 5'],
  lens2022: ['SERVOPS 1', 'SERVREL 2'],
  resourceKind: 'AwsLambdaFunction',
  uses: ['Metrics'],
  cost: 'M',
  options: { errorRatePercent: 10, minimumDailyInvocations: 10, days: 7 },
  remediation: {
    text: 'Find the failing invocations in the function logs or X-Ray traces, fix the cause, and add an alarm on the Errors metric.',
    url: 'https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html',
  },
  peers: { trustedAdvisor: ['L4dfs2Q3C2'] },
  evaluate(fn, ctx) {
    const s = seriesOf(fn.Metrics, [SERIES.lambda.invocations, SERIES.lambda.errors]);
    if (!s.ok) return ctx.notAssessed(`Function ${fn.name}: ${s.reason}.`);
    const days = Number(ctx.options.days);
    const invocations = byDay(s.series[SERIES.lambda.invocations]!, ctx.now, days);
    const errors = byDay(s.series[SERIES.lambda.errors]!, ctx.now, days);
    const threshold = Number(ctx.options.errorRatePercent);
    const minimum = Number(ctx.options.minimumDailyInvocations);
    let worst: { day: string; rate: number; errors: number; invocations: number } | undefined;
    for (const [day, n] of invocations) {
      if (n < minimum) continue;
      const e = errors.get(day) ?? 0;
      const rate = (100 * e) / n;
      if (!worst || rate > worst.rate) worst = { day, rate, errors: e, invocations: n };
    }
    if (!worst) return ctx.pass(`Function ${fn.name} had no day with ${minimum} or more invocations in the last ${days} days.`);
    const evidence = { worstDay: worst.day, errors: worst.errors, invocations: worst.invocations, errorRatePercent: round(worst.rate) };
    return worst.rate > threshold
      ? ctx.fail(`Function ${fn.name} failed ${round(worst.rate)}% of ${worst.invocations} invocations on ${worst.day} (threshold ${threshold}%).`, evidence)
      : ctx.pass(`Function ${fn.name} stayed at or below ${threshold}% errors every day (worst ${round(worst.rate)}% on ${worst.day}).`, evidence);
  },
});
export default check;

const metrics = (invocations: number[], errors: number[]) => ({ Invocations: dailySeries(invocations), Errors: dailySeries(errors) });

export const examples: CheckExamples<'AwsLambdaFunction'> = {
  pass: [
    { name: 'low error rate', resource: { Metrics: metrics([1000, 1000, 1000, 1000, 1000, 1000, 1000], [5, 0, 0, 12, 0, 0, 1]) } },
    { name: 'high rate on a tiny day only', resource: { Metrics: metrics([1000, 4], [0, 3]) } },
    { name: 'high rate older than 7 days', resource: { Metrics: metrics([1000, 0, 0, 0, 0, 0, 0, 0, 0], [900, 0, 0, 0, 0, 0, 0, 0, 0]) } },
  ],
  fail: [{ name: '25% on one day', resource: { Metrics: metrics([1000, 400, 1000], [0, 100, 0]) } }],
  notAssessed: [
    { name: 'metrics not collected', resource: {} },
    { name: 'GetMetricData failed', resource: { gaps: { Metrics: { operation: 'cloudwatch:GetMetricData', code: 'AccessDenied', message: 'denied' } } } },
  ],
};
