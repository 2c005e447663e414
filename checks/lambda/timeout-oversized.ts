import { defineCheck, type CheckExamples } from '../../src/model/index.js';
import { dailySeries, round, SERIES, seriesOf, total } from '../lib/metric-series.js';

const check = defineCheck({
  id: 'lambda.timeout-oversized',
  title: 'Lambda function timeout is far above its p99 duration',
  description:
    'A timeout much higher than the normal execution time lets a stuck invocation run (and be billed, and hold concurrency) far longer than needed ' +
    '(SERVPER 1). Fails when the timeout exceeds `factor` × the p99 Duration of the last 14 days; needs minimumInvocations in that window and --metrics.',
  severity: 'LOW',
  pillar: 'PERF',
  lens: ['SERVPER 1'],
  lens2022: ['SERVPERF 1'],
  resourceKind: 'AwsLambdaFunction',
  uses: ['Metrics', 'Timeout'],
  cost: 'M',
  options: { factor: 5, minimumInvocations: 100 },
  remediation: {
    text: 'Lower the timeout to a few times the p99 duration (aws lambda update-function-configuration --timeout N), and set timeouts on downstream calls below it.',
    url: 'https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html',
  },
  peers: { serverlessRules: ['ES1006'] },
  evaluate(fn, ctx) {
    if (fn.Timeout === undefined) return ctx.notAssessed(`Timeout of function ${fn.name} is unknown.`);
    const s = seriesOf(fn.Metrics, [SERIES.lambda.durationP99, SERIES.lambda.invocations]);
    if (!s.ok) return ctx.notAssessed(`Function ${fn.name}: ${s.reason}.`);
    const invocations = total(s.series[SERIES.lambda.invocations]!, ctx.now, 14);
    const minimum = Number(ctx.options.minimumInvocations);
    if (invocations < minimum) return ctx.notAssessed(`Function ${fn.name} had ${invocations} invocations in 14 days, fewer than the ${minimum} needed to judge its p99.`);
    const p99 = s.series[SERIES.lambda.durationP99]!.Values.at(-1);
    if (p99 === undefined) return ctx.notAssessed(`Function ${fn.name}: no p99 Duration datapoint.`);
    const factor = Number(ctx.options.factor);
    const evidence = { Timeout: fn.Timeout, p99DurationMs: round(p99), invocations };
    return fn.Timeout * 1000 > factor * p99
      ? ctx.fail(`Function ${fn.name} has a ${fn.Timeout} s timeout, ${round((fn.Timeout * 1000) / Math.max(p99, 1))}× its p99 duration of ${round(p99)} ms (limit ${factor}×).`, evidence)
      : ctx.pass(`Function ${fn.name} has a ${fn.Timeout} s timeout for a p99 duration of ${round(p99)} ms.`, evidence);
  },
});
export default check;

const p99 = (ms: number) => ({ Timestamps: ['2026-05-18T00:00:00.000Z'], Values: [ms], Period: 1_209_600, Stat: 'p99' });

export const examples: CheckExamples<'AwsLambdaFunction'> = {
  pass: [{ resource: { Timeout: 10, Metrics: { DurationP99: p99(4000), Invocations: dailySeries([100, 100]) } } }],
  fail: [{ name: '60 s for 300 ms', resource: { Timeout: 60, Metrics: { DurationP99: p99(300), Invocations: dailySeries([100, 100]) } } }],
  notAssessed: [
    { name: 'too few invocations', resource: { Timeout: 60, Metrics: { DurationP99: p99(300), Invocations: dailySeries([10, 5]) } } },
    { name: 'metrics not collected', resource: { Timeout: 60 } },
  ],
};
