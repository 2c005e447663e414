import { defineCheck, type CheckExamples, type MetricSeries } from '../../src/model/index.js';
import { judge, metricSeries, peak, resolveLimit, serviceAccountArn } from '../lib/quota.js';

/** Requests per second of each time bucket, REST and HTTP APIs added up. */
function requestRate(series: MetricSeries[]): MetricSeries {
  const sum = new Map<string, number>();
  for (const s of series) s.Timestamps.forEach((t, i) => sum.set(t, (sum.get(t) ?? 0) + (s.Values[i] ?? 0) / s.Period));
  const times = [...sum.keys()].sort();
  return { Timestamps: times, Values: times.map((t) => sum.get(t)!), Period: series[0]?.Period ?? 60, Stat: 'Sum/Period' };
}

const check = defineCheck({
  id: 'quota.apigw-account-rps-80',
  title: 'Peak API Gateway request rate is at or over 80% of the account throttle',
  description:
    'All REST, HTTP and WebSocket APIs of a region share one account request-rate quota (10,000 requests per second by ' +
    'default, less in newer regions); above it API Gateway answers 429 to every API. The lens (SERVREL 1) asks to know when ' +
    'a service nears a limit. Usage is the highest one-minute rate over 14 days: the AWS/ApiGateway Count of every REST API ' +
    '(by ApiName) and HTTP API (by ApiId), summed, divided by 60 (needs --metrics; WebSocket messages are not counted). ' +
    'The limit is the "Throttle rate" quota (L-8A5B8E43) or GetAccount throttleSettings.rateLimit. Reported under ' +
    'arn:aws:apigateway:REGION:ACCOUNT:account.',
  severity: 'MEDIUM',
  pillar: 'REL',
  lens: ['SERVREL 1'],
  lens2022: ['SERVREL 1'],
  resourceKind: 'AwsAccountRegion',
  uses: ['ApiGatewayAccount', 'ServiceQuotas', 'Metrics'],
  cost: 'M',
  options: { threshold: 80 },
  remediation: {
    text: 'Request a higher "Throttle rate" quota for the region (L-8A5B8E43), and set stage or usage-plan throttles so one API cannot use up the account rate.',
    url: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html',
  },
  peers: {},
  evaluate(ar, ctx) {
    const extra = { resource: { arn: serviceAccountArn(ar.arn, 'apigateway') } };
    const rest = metricSeries(ar, 'ApiGatewayRestCount');
    if ('reason' in rest) return ctx.notAssessed(`API Gateway request rate not assessed: ${rest.reason}.`, extra);
    const http = metricSeries(ar, 'ApiGatewayHttpCount');
    if ('reason' in http) return ctx.notAssessed(`API Gateway request rate not assessed: ${http.reason}.`, extra);
    const limit = resolveLimit(ar, 'apigateway', 'L-8A5B8E43', ar.ApiGatewayAccount?.throttleSettings?.rateLimit);
    if ('reason' in limit) return ctx.notAssessed(`API Gateway request rate not assessed: ${limit.reason}.`, extra);
    const top = peak(requestRate([rest, http]));
    return judge(ctx, {
      label: 'Peak API Gateway request rate (requests per second, busiest minute in 14 days)',
      usage: top.value,
      limit,
      threshold: ctx.options.threshold,
      evidence: { unit: 'Requests/Second', peakAt: top.at, burstLimit: ar.ApiGatewayAccount?.throttleSettings?.burstLimit },
      extra,
    });
  },
});
export default check;

const counts = (rest: number[], http: number[]) => {
  const at = (i: number) => `2026-05-30T12:0${i}:00.000Z`;
  return {
    ApiGatewayRestCount: { Timestamps: rest.map((_, i) => at(i)), Values: rest, Period: 60, Stat: 'Sum' },
    ApiGatewayHttpCount: { Timestamps: http.map((_, i) => at(i)), Values: http, Period: 60, Stat: 'Sum' },
  };
};
const account = { ApiGatewayAccount: { throttleSettings: { rateLimit: 10000, burstLimit: 5000 } } };

export const examples: CheckExamples<'AwsAccountRegion'> = {
  pass: [
    { name: '1,000 rps', resource: { ...account, Metrics: counts([30000, 60000], [0, 0]) } },
    { name: 'no API traffic', resource: { ...account, Metrics: counts([], []) } },
  ],
  fail: [
    // Neither alone is over 80%: REST 300,000 + HTTP 180,000 requests in the same minute = 8,000 rps.
    { name: 'REST and HTTP together at 80%', resource: { ...account, Metrics: counts([300000, 1], [180000, 1]) } },
    { name: 'at the throttle', resource: { ...account, Metrics: counts([600000], []) }, severity: 'HIGH' },
  ],
  notAssessed: [
    { name: 'run without --metrics', resource: account },
    {
      name: 'GetMetricData failed',
      resource: {
        ...account,
        gaps: {
          'Metrics.ApiGatewayRestCount': { operation: 'cloudwatch:GetMetricData', code: 'AccessDenied', message: 'denied' },
          'Metrics.ApiGatewayHttpCount': { operation: 'cloudwatch:GetMetricData', code: 'AccessDenied', message: 'denied' },
        },
      },
    },
    { name: 'GetAccount failed', resource: { Metrics: counts([1], [1]), gaps: { ApiGatewayAccount: { operation: 'apigateway:GetAccount', code: 'AccessDeniedException', message: 'denied' } } } },
  ],
};
