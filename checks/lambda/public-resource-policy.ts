import { defineCheck, type CheckExamples, type EvalContext, type Evaluation, type PolicyDocument, type PolicyStatement } from '../../src/model/index.js';
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

/** One resource policy (the function's, or one alias's) under the rules above. */
function judge(ctx: EvalContext, policy: PolicyDocument | null, what: string, note: string): Evaluation {
  const What = what[0]!.toUpperCase() + what.slice(1);
  if (policy === null) return ctx.pass(`${What} has no resource-based policy${note}.`);
  const statements = statementsOf(policy);
  const bad = statements
    .map((st, i) => ({ st, i, why: problem(st) }))
    .filter((x): x is { st: PolicyStatement; i: number; why: string } => x.why !== undefined)
    .map(({ st, i, why }) => ({ Sid: st.Sid ?? `#${i + 1}`, Principal: st.Principal ?? st.NotPrincipal, Action: st.Action, reason: why }));
  if (bad.length === 0) return ctx.pass(`No statement of the resource policy of ${what} is public (${statements.length} statement(s))${note}.`);
  return ctx.fail(`${What} has a public resource policy: ${bad.map((b) => `statement ${b.Sid} ${b.reason}`).join('; ')}.`, { statements: bad });
}

const check = defineCheck({
  id: 'lambda.public-resource-policy',
  title: 'Lambda function resource policy allows public invocation',
  description:
    'A resource-based policy statement that allows Principal "*" (or {"AWS": "*"}) without a fixed-value aws:SourceAccount, ' +
    'aws:SourceArn, aws:PrincipalOrgID or aws:SourceOwner condition lets any AWS account invoke or manage the function. ' +
    'Following FSBP Lambda.1, a grant to the S3 service principal without aws:SourceAccount also fails, since bucket ARNs do not name the owning account. ' +
    'Conditions with wildcard values, or under ...IfExists, negated or Null operators, do not count as restrictions. A function without a policy passes. ' +
    'Each alias has its own resource policy (a grant made with --qualifier is not in the function\'s): every alias is judged by the same ' +
    'rules and reported under its alias ARN; an alias whose policy could not be read is not assessed, and a function whose aliases could ' +
    'not be listed is not assessed. Lens SERVSEC 1.',
  severity: 'CRITICAL',
  pillar: 'SEC',
  lens: ['SERVSEC 1'],
  lens2022: ['SERVSEC 1'],
  resourceKind: 'AwsLambdaFunction',
  uses: ['Policy', 'Aliases'],
  cost: 'E',
  remediation: {
    text: 'Remove the public statement (aws lambda remove-permission --function-name NAME [--qualifier ALIAS] --statement-id SID) and grant invoke to the specific service or account, with --source-arn and --source-account for service principals.',
    url: 'https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html',
  },
  peers: {
    cspm: ['Lambda.1'],
    config: ['lambda-function-public-access-prohibited'],
    prowler: ['awslambda_function_not_publicly_accessible'],
  },
  evaluate(fn, ctx) {
    // An inventory from before aliases were collected: the function's own policy only, and it says so.
    const aliasesNote = fn.Aliases === undefined ? ' (its aliases were not collected)' : '';
    const results = [
      fn.Policy === undefined
        ? ctx.notAssessed(`The resource policy of function ${fn.name} was not collected.`)
        : judge(ctx, fn.Policy, `function ${fn.name}`, aliasesNote),
    ];
    for (const a of fn.Aliases ?? []) {
      const about = { resource: { arn: a.AliasArn, name: `${fn.name}:${a.Name}`, kind: 'AwsLambdaFunction' } };
      const gap = a.gaps?.Policy;
      const r: Evaluation = gap
        ? ctx.notAssessed(`The resource policy of alias ${fn.name}:${a.Name} could not be read: ${gap.operation} failed: ${gap.code}.`)
        : a.Policy === undefined
          ? ctx.notAssessed(`The resource policy of alias ${fn.name}:${a.Name} was not collected.`)
          : judge(ctx, a.Policy, `alias ${fn.name}:${a.Name}`, '');
      results.push({ ...r, ...about, evidence: { ...r.evidence, function: fn.arn, aliasVersion: a.FunctionVersion ?? null } });
    }
    return results;
  },
});
export default check;

const FN = 'arn:aws:lambda:us-east-1:111122223333:function:example';
const stmt = (extra: Partial<PolicyStatement>): PolicyStatement => ({ Sid: 's1', Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: FN, ...extra });

export const examples: CheckExamples<'AwsLambdaFunction'> = {
  pass: [
    { name: 'no policy', resource: { Policy: null } },
    {
      name: 'aliases without a policy, or with a grant pinned to a rule',
      resource: {
        Policy: null,
        Aliases: [
          { AliasArn: `${FN}:live`, Name: 'live', FunctionVersion: '3', Policy: null },
          {
            AliasArn: `${FN}:canary`, Name: 'canary', FunctionVersion: '4',
            Policy: { Statement: [stmt({ Principal: { Service: 'events.amazonaws.com' }, Resource: `${FN}:canary`, Condition: { ArnLike: { 'AWS:SourceArn': 'arn:aws:events:us-east-1:111122223333:rule/nightly' } } })] },
          },
        ],
      },
      count: 3,
    },
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
    {
      // `aws lambda add-permission --qualifier live --principal '*'` writes the grant into the alias's policy only.
      name: 'public on the function and on its live alias (reported under the alias ARN)',
      resource: {
        Policy: { Statement: [stmt({ Principal: '*' })] },
        Aliases: [{ AliasArn: `${FN}:live`, Name: 'live', FunctionVersion: '3', Policy: { Version: '2012-10-17', Id: 'default', Statement: [stmt({ Principal: { AWS: '*' }, Resource: `${FN}:live` })] } }],
      },
      count: 2,
    },
    { name: 'AWS * with a wildcard SourceArn', resource: { Policy: { Statement: [stmt({ Principal: { AWS: '*' }, Condition: { ArnLike: { 'AWS:SourceArn': 'arn:aws:execute-api:*' } } })] } } },
    { name: 'IfExists condition', resource: { Policy: { Statement: [stmt({ Principal: { AWS: ['*'] }, Condition: { StringEqualsIfExists: { 'aws:SourceAccount': '111122223333' } } })] } } },
    { name: 'S3 without SourceAccount', resource: { Policy: { Statement: [stmt({ Principal: { Service: 's3.amazonaws.com' }, Condition: { ArnLike: { 'AWS:SourceArn': 'arn:aws:s3:::uploads' } } })] } } },
  ],
  notAssessed: [
    { name: 'GetPolicy denied', resource: { gaps: { Policy: { operation: 'lambda:GetPolicy', code: 'AccessDeniedException', message: 'denied' } } } },
    { name: 'ListAliases denied', resource: { Policy: null, gaps: { Aliases: { operation: 'lambda:ListAliases', code: 'AccessDeniedException', message: 'denied' } } } },
    {
      name: 'policy not collected, and GetPolicy with Qualifier denied for the alias',
      resource: { Aliases: [{ AliasArn: `${FN}:live`, Name: 'live', FunctionVersion: '3', gaps: { Policy: { operation: 'lambda:GetPolicy', code: 'AccessDeniedException', message: 'denied' } } }] },
      count: 2,
    },
    { name: 'policy not collected', resource: {} },
  ],
};
