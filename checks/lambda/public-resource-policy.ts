import { defineCheck, type CheckExamples, type PolicyStatement } from '../../src/model/index.js';
import { asList, hasPinningCondition, isAllow, isWildcardPrincipal, principalsOf, servicePrincipalsOf, statementsOf } from '../lib/policy-statements.js';

/** A fixed `aws:SourceAccount` (no wildcard, no policy variable) under an operator that a request without the key fails. */
function pinsSourceAccount(st: PolicyStatement): boolean {
  return Object.entries(st.Condition ?? {}).some(
    ([operator, block]) =>
      /^(StringEquals|StringLike|ArnEquals|ArnLike)$/i.test(operator) &&
      Object.entries(block ?? {}).some(([key, value]) => {
        const values = asList(value as string | string[]).map(String);
        return key.toLowerCase() === 'aws:sourceaccount' && values.length > 0 && values.every((v) => !/[*?]/.test(v) && !v.includes('${'));
      }),
  );
}

function problem(st: PolicyStatement): string | undefined {
  if (!isAllow(st)) return undefined;
  // Allow with NotPrincipal grants everyone except the listed principals.
  if (st.NotPrincipal !== undefined || principalsOf(st).some(isWildcardPrincipal)) {
    if (hasPinningCondition(st)) return undefined;
    return 'allows any principal without a fixed aws:SourceAccount, aws:SourceArn, aws:PrincipalOrgID or aws:SourceOwner condition';
  }
  // Bucket ARNs carry no account id, so S3 needs SourceAccount: another account could own a bucket of that name.
  if (servicePrincipalsOf(st).some((s) => s.startsWith('s3.')) && !pinsSourceAccount(st)) {
    return 'allows the S3 service principal without a fixed aws:SourceAccount condition';
  }
  return undefined;
}

const check = defineCheck({
  id: 'lambda.public-resource-policy',
  title: 'Lambda function resource policy allows public invocation',
  description:
    'A resource-based policy statement that allows Principal "*" (or {"AWS": "*"}) without a fixed-value aws:SourceAccount, ' +
    'aws:SourceArn, aws:PrincipalOrgID or aws:SourceOwner condition lets any AWS account invoke or manage the function. ' +
    'Following FSBP Lambda.1, a grant to the S3 service principal without aws:SourceAccount also fails, since bucket ARNs do not name the owning account. ' +
    'Conditions with wildcard values, or under ...IfExists, negated or Null operators, do not count as restrictions. A function without a policy passes. Lens SERVSEC 1.',
  severity: 'CRITICAL',
  pillar: 'SEC',
  lens: ['SERVSEC 1'],
  lens2022: ['SERVSEC 1'],
  resourceKind: 'AwsLambdaFunction',
  uses: ['Policy'],
  cost: 'E',
  remediation: {
    text: 'Remove the public statement (aws lambda remove-permission --function-name NAME --statement-id SID) and grant invoke to the specific service or account, with --source-arn and --source-account for service principals.',
    url: 'https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html',
  },
  peers: {
    cspm: ['Lambda.1'],
    config: ['lambda-function-public-access-prohibited'],
    prowler: ['awslambda_function_not_publicly_accessible'],
  },
  evaluate(fn, ctx) {
    if (fn.Policy === undefined) return ctx.notAssessed(`The resource policy of function ${fn.name} was not collected.`);
    if (fn.Policy === null) return ctx.pass(`Function ${fn.name} has no resource-based policy.`);
    const statements = statementsOf(fn.Policy);
    const bad = statements
      .map((st, i) => ({ st, i, why: problem(st) }))
      .filter((x): x is { st: PolicyStatement; i: number; why: string } => x.why !== undefined)
      .map(({ st, i, why }) => ({ Sid: st.Sid ?? `#${i + 1}`, Principal: st.Principal ?? st.NotPrincipal, Action: st.Action, reason: why }));
    if (bad.length === 0) return ctx.pass(`No statement of the resource policy of function ${fn.name} is public (${statements.length} statement(s)).`);
    return ctx.fail(
      `Function ${fn.name} has a public resource policy: ${bad.map((b) => `statement ${b.Sid} ${b.reason}`).join('; ')}.`,
      { statements: bad },
    );
  },
});
export default check;

const FN = 'arn:aws:lambda:us-east-1:111122223333:function:example';
const stmt = (extra: Partial<PolicyStatement>): PolicyStatement => ({ Sid: 's1', Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: FN, ...extra });

export const examples: CheckExamples<'AwsLambdaFunction'> = {
  pass: [
    { name: 'no policy', resource: { Policy: null } },
    {
      name: 'service principal pinned to a rule',
      resource: { Policy: { Version: '2012-10-17', Statement: [stmt({ Principal: { Service: 'events.amazonaws.com' }, Condition: { ArnLike: { 'AWS:SourceArn': 'arn:aws:events:us-east-1:111122223333:rule/nightly' } } })] } },
    },
    {
      name: 'public principal restricted to the organisation',
      resource: { Policy: { Statement: stmt({ Principal: '*', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } }) } },
    },
    {
      name: 'S3 with SourceAccount',
      resource: { Policy: { Statement: [stmt({ Principal: { Service: 's3.amazonaws.com' }, Condition: { StringEquals: { 'AWS:SourceAccount': '111122223333' }, ArnLike: { 'AWS:SourceArn': 'arn:aws:s3:::uploads' } } })] } },
    },
  ],
  fail: [
    { name: 'Principal *', resource: { Policy: { Statement: [stmt({ Principal: '*' })] } } },
    { name: 'AWS * with a wildcard SourceArn', resource: { Policy: { Statement: [stmt({ Principal: { AWS: '*' }, Condition: { ArnLike: { 'AWS:SourceArn': 'arn:aws:execute-api:*' } } })] } } },
    { name: 'IfExists condition', resource: { Policy: { Statement: [stmt({ Principal: { AWS: ['*'] }, Condition: { StringEqualsIfExists: { 'aws:SourceAccount': '111122223333' } } })] } } },
    { name: 'S3 without SourceAccount', resource: { Policy: { Statement: [stmt({ Principal: { Service: 's3.amazonaws.com' }, Condition: { ArnLike: { 'AWS:SourceArn': 'arn:aws:s3:::uploads' } } })] } } },
  ],
  notAssessed: [
    { name: 'GetPolicy denied', resource: { gaps: { Policy: { operation: 'lambda:GetPolicy', code: 'AccessDeniedException', message: 'denied' } } } },
    { name: 'policy not collected', resource: {} },
  ],
};
