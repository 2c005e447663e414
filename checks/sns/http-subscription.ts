import { defineCheck, type CheckExamples } from '../../src/model/index.js';

const check = defineCheck({
  id: 'sns.http-subscription',
  title: 'SNS subscription delivers over plain HTTP',
  description:
    'An http subscription sends every message, and the subscription confirmation token, unencrypted over the internet (SERVSEC 6). ' +
    'Evaluated for http and https subscriptions only.',
  severity: 'MEDIUM',
  pillar: 'SEC',
  lens: ['SERVSEC 6'],
  lens2022: [],
  resourceKind: 'AwsSnsSubscription',
  uses: ['Protocol', 'Endpoint'],
  cost: 'C',
  remediation: {
    text: 'Subscribe the endpoint over https instead (aws sns subscribe --protocol https --notification-endpoint https://...) and remove the http subscription.',
    url: 'https://docs.aws.amazon.com/sns/latest/dg/sns-security-best-practices.html',
  },
  peers: { prowler: ['sns_subscription_not_using_http_endpoints'] },
  evaluate(sub, ctx) {
    if (sub.Protocol === 'https') return ctx.pass(`Subscription ${sub.name} delivers over HTTPS.`);
    if (sub.Protocol !== 'http') return;
    return ctx.fail(`Subscription ${sub.name} delivers over plain HTTP to ${sub.Endpoint ?? 'an endpoint'}.`, { Endpoint: sub.Endpoint ?? null });
  },
});
export default check;

export const examples: CheckExamples<'AwsSnsSubscription'> = {
  pass: [
    { resource: { Protocol: 'https', Endpoint: 'https://hooks.example.com/sns' } },
    { name: 'lambda: does not apply', resource: { Protocol: 'lambda' }, count: 0 },
  ],
  fail: [{ resource: { Protocol: 'http', Endpoint: 'http://legacy.example.com/notify' } }],
  notAssessed: [{ resource: { gaps: { Protocol: { operation: 'sns:ListSubscriptions', code: 'AuthorizationError', message: 'denied' } } } }],
};
