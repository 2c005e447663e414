import { defineCheck, type CheckExamples } from '../../src/model/index.js';
import { dailySeries, lastDays, round, SERIES, seriesOf } from '../lib/metric-series.js';

const check = defineCheck({
  id: 'lambda.timeouts',
  title: 'Lambda function ran into its timeout',
  description:
    'A daily maximum Duration at (99% of) the configured timeout means at least one invocation timed out: the caller got an error and the ' +
    'time was billed. This tells that timeouts happened, not how often (that needs the logs). Needs --metrics (SERVPER 1).',
  severity: 'MEDIUM',
  pillar: 'PERF',
  lens: ['SERVPER 1'],
  lens2022: ['SERVPERF 1'],
  resourceKind: 'AwsLambdaFunction',
  uses: ['Metrics', 'Timeout'],
  cost: 'M',
  options: { timeoutRatio: 0.99, days: 7 },
  remediation: {
    text: 'Find the slow invocations ("Task timed out" in the logs), fix slow dependencies (timeouts on downstream calls, connection reuse), or raise the timeout if the work needs it.',
    url: 'https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html',
  },
  peers: { trustedAdvisor: ['L4dfs2Q3C3'] },
  evaluate(fn, ctx) {
    if (fn.Timeout === undefined) return ctx.notAssessed(`Timeout of function ${fn.name} is unknown.`);
    const s = seriesOf(fn.Metrics, [SERIES.lambda.durationMax]);
    if (!s.ok) return ctx.notAssessed(`Function ${fn.name}: ${s.reason}.`);
    const days = Number(ctx.options.days);
    const limitMs = fn.Timeout * 1000;
    const hits = lastDays(s.series[SERIES.lambda.durationMax]!, ctx.now, days).filter(([, max]) => max >= Number(ctx.options.timeoutRatio) * limitMs);
    if (hits.length === 0) return ctx.pass(`Function ${fn.name} stayed below its ${fn.Timeout} s timeout in the last ${days} days.`);
    return ctx.fail(
      `Function ${fn.name} reached its ${fn.Timeout} s timeout on ${hits.length} of the last ${days} days (${hits.map(([d]) => d).join(', ')}).`,
      { Timeout: fn.Timeout, days: hits.map(([day, ms]) => ({ day, maxDurationMs: round(ms) })) },
    );
  },
});
export default check;

export const examples: CheckExamples<'AwsLambdaFunction'> = {
  pass: [{ resource: { Timeout: 10, Metrics: { DurationMax: dailySeries([1200, 800, 2500], 'Maximum') } } }],
  fail: [{ name: 'one day at the limit', resource: { Timeout: 10, Metrics: { DurationMax: dailySeries([1200, 10000.4, 2500], 'Maximum') } } }],
  notAssessed: [
    { name: 'metrics not collected', resource: { Timeout: 10 } },
    { name: 'series missing', resource: { Timeout: 10, Metrics: { Invocations: dailySeries([1]) } } },
  ],
};
