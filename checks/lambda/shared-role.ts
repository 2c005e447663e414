import { defineCheck, type CheckExamples, type LambdaFunction } from '../../src/model/index.js';
import { derived } from '../lib/memo.js';

/** How many other functions the message names; the evidence lists all of them. */
const MESSAGE_LIMIT = 10;

const check = defineCheck({
  id: 'lambda.shared-role',
  title: 'Lambda function shares its execution role with other functions',
  description:
    'A role used by several functions carries the union of their permissions, so each function can do what any of the others may. ' +
    'Functions are compared across every region of the account (IAM roles are global). ' +
    'The lens (SERVSEC 2): "sharing an IAM role within more than one Lambda function will likely violate least-privileged access."',
  severity: 'MEDIUM',
  pillar: 'SEC',
  lens: ['SERVSEC 2'],
  lens2022: ['SERVSEC 2'],
  resourceKind: 'AwsLambdaFunction',
  uses: ['Role'],
  needs: ['AwsLambdaFunction'],
  cost: 'C',
  accountWide: true,
  remediation: {
    text: 'Give each function its own execution role that grants only what that function needs (one role per function in the template), then remove the shared role.',
    url: 'https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html',
  },
  peers: {},
  evaluate(fn, ctx) {
    if (!fn.Role) return ctx.notAssessed(`Function ${fn.name} has no execution role in the inventory.`);
    // IAM role names are unique regardless of case, so two spellings of one ARN are the same role.
    // The account's functions grouped by role once, each group in message order (region, then name): comparing each
    // function with every other one made this check quadratic in the account's functions.
    const all = ctx.list('AwsLambdaFunction', 'account');
    const byRole = derived(all, 'shared-role:by-role', () => groupByRole(all));
    const others = (byRole.get(fn.Role.toLowerCase()) ?? [])
      .filter((o) => o.arn !== fn.arn)
      .map((o) => ({ name: o.name, region: o.region, arn: o.arn }));
    if (others.length === 0) return ctx.pass(`Function ${fn.name} is the only function using role ${fn.Role}.`);
    const named = others.slice(0, MESSAGE_LIMIT).map((o) => `${o.name} (${o.region})`).join(', ');
    const more = others.length > MESSAGE_LIMIT ? ` and ${others.length - MESSAGE_LIMIT} more` : '';
    return ctx.fail(`Role ${fn.Role} of function ${fn.name} is also used by ${others.length} other function(s): ${named}${more}.`, {
      Role: fn.Role,
      functionsSharingRole: others,
    });
  },
});
export default check;

/** Functions by lower-cased role, each group sorted by region, then name (a stable sort: ties keep the list's order). */
function groupByRole(fns: readonly LambdaFunction[]): Map<string, LambdaFunction[]> {
  const groups = new Map<string, LambdaFunction[]>();
  for (const f of fns) {
    if (!f.Role) continue;
    const key = f.Role.toLowerCase();
    const group = groups.get(key);
    if (group) group.push(f);
    else groups.set(key, [f]);
  }
  for (const group of groups.values()) group.sort((a, b) => a.region.localeCompare(b.region) || a.name.localeCompare(b.name));
  return groups;
}

const ROLE = 'arn:aws:iam::111122223333:role/shared-role';

export const examples: CheckExamples<'AwsLambdaFunction'> = {
  pass: [
    {
      name: 'other functions use other roles',
      resource: { Role: ROLE },
      others: [{ kind: 'AwsLambdaFunction', name: 'other', Role: 'arn:aws:iam::111122223333:role/other-role' }],
    },
  ],
  fail: [
    {
      name: 'shared with a function in another region',
      resource: { Role: ROLE },
      others: [{ kind: 'AwsLambdaFunction', name: 'other', region: 'eu-west-1', Role: ROLE }],
    },
    {
      name: 'same role spelled with different case',
      resource: { Role: ROLE },
      others: [{ kind: 'AwsLambdaFunction', name: 'other', Role: 'arn:aws:iam::111122223333:role/Shared-Role' }],
    },
  ],
  notAssessed: [
    { name: 'role field missing', resource: { gaps: { Role: { operation: 'lambda:ListFunctions', code: 'AccessDeniedException', message: 'denied' } } } },
    {
      name: 'functions could not all be listed',
      resource: { Role: ROLE },
      listGaps: ['AwsLambdaFunction'],
      // One NOT_ASSESSED for the unlisted scope, one for this function (it cannot be compared with the unlisted ones).
      count: 2,
    },
  ],
};
