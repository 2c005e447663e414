import { defineCheck, type CheckExamples } from '../../src/model/index.js';
import { asList, hasPinningCondition, isAllow, isWildcardPrincipal, principalsOf, statementsOf } from '../lib/policy-statements.js';

const check = defineCheck({
  id: 'sns.public-policy',
  title: 'SNS topic policy allows access to everyone',
  description:
    'A topic policy statement that allows Principal "*" without a fixed aws:SourceOwner, aws:SourceAccount, aws:SourceArn or aws:PrincipalOrgID ' +
    'condition lets any AWS account publish to or subscribe to the topic, injecting events into your functions or reading your messages ' +
    '(SERVSEC 1 as the nearest lens question). Conditions with wildcard values or under IfExists, negated or Null operators do not count.',
  severity: 'CRITICAL',
  pillar: 'SEC',
  lens: ['SERVSEC 1'],
  lens2022: ['SERVSEC 2'],
  resourceKind: 'AwsSnsTopic',
  uses: ['Policy'],
  cost: 'E',
  remediation: {
    text: 'Replace the wildcard principal with the accounts or services that need access, or add a condition such as aws:SourceAccount or aws:PrincipalOrgID with a fixed value.',
    url: 'https://docs.aws.amazon.com/sns/latest/dg/sns-security-best-practices.html',
  },
  peers: {
    cspm: ['SNS.4'],
    config: ['sns-topic-no-public-access'],
    prowler: ['sns_topics_not_publicly_accessible'],
  },
  evaluate(topic, ctx) {
    if (topic.Policy === undefined) return ctx.notAssessed(`Policy of topic ${topic.name} was not collected.`);
    const open = statementsOf(topic.Policy)
      .map((st, i) => ({ st, i }))
      .filter(({ st }) => isAllow(st) && (st.NotPrincipal !== undefined || principalsOf(st).some(isWildcardPrincipal)) && !hasPinningCondition(st))
      .map(({ st, i }) => ({ Sid: st.Sid ?? `#${i + 1}`, Action: asList(st.Action) }));
    return open.length > 0
      ? ctx.fail(`Topic ${topic.name} allows everyone: statement(s) ${open.map((o) => `${o.Sid} (${o.Action.join(', ')})`).join('; ')}.`, { statements: open })
      : ctx.pass(`Topic ${topic.name} does not allow public access.`);
  },
});
export default check;

const TOPIC = 'arn:aws:sns:us-east-1:111122223333:example';
const defaultPolicy = {
  Version: '2008-10-17',
  Statement: [{ Sid: '__default_statement_ID', Effect: 'Allow', Principal: { AWS: '*' }, Action: ['SNS:Publish', 'SNS:Subscribe'], Resource: TOPIC, Condition: { StringEquals: { 'AWS:SourceOwner': '111122223333' } } }],
};

export const examples: CheckExamples<'AwsSnsTopic'> = {
  pass: [
    { name: 'default topic policy', resource: { Policy: defaultPolicy } },
    { name: 'no policy', resource: { Policy: null } },
  ],
  fail: [
    { name: 'open publish', resource: { Policy: { Statement: [{ Sid: 'open', Effect: 'Allow', Principal: '*', Action: 'sns:Publish', Resource: TOPIC }] } } },
    {
      name: 'wildcard source account',
      resource: { Policy: { Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sns:Subscribe', Resource: TOPIC, Condition: { StringLike: { 'aws:SourceAccount': '*' } } }] } },
    },
  ],
  notAssessed: [{ resource: { gaps: { Policy: { operation: 'sns:GetTopicAttributes', code: 'AuthorizationError', message: 'denied' } } } }],
};
