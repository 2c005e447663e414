// Lambda execution roles: which roles are in scope, who uses them, and their permission documents.
import type { EvalContext, IamRole, PolicyDocument, PolicyStatement } from '../../src/model/index.js';
import { derived } from './memo.js';
import { isAllow, servicePrincipalsOf, statementsOf } from './policy-statements.js';

export const LAMBDA_SERVICES = new Set(['lambda.amazonaws.com', 'edgelambda.amazonaws.com']);

/** A role is a Lambda execution role when its trust policy lets Lambda (or Lambda@Edge) assume it. */
export function trustsLambda(role: IamRole): boolean {
  return statementsOf(role.AssumeRolePolicyDocument).some((st) => isAllow(st) && servicePrincipalsOf(st).some((s) => LAMBDA_SERVICES.has(s)));
}

/** Names of the functions (any region) whose execution role this is, or undefined when functions could not all be listed. */
export function functionsUsing(role: IamRole, ctx: EvalContext): string[] | undefined {
  try {
    const fns = ctx.list('AwsLambdaFunction', 'account');
    const byRole = derived(fns, 'functions-by-role', () => {
      const m = new Map<string, string[]>();
      for (const f of fns) {
        const users = m.get(f.Role);
        if (users) users.push(`${f.name} (${f.region})`);
        else m.set(f.Role, [`${f.name} (${f.region})`]);
      }
      return m;
    });
    return [...(byRole.get(role.arn) ?? [])].sort();
  } catch {
    return undefined;
  }
}

/** " (used by f1, f2)" / " (used by no collected function)" / "" when unknown. */
export function usedByText(users: string[] | undefined): string {
  if (users === undefined) return '';
  if (users.length === 0) return ' (used by no collected function)';
  return ` (used by ${users.slice(0, 5).join(', ')}${users.length > 5 ? ` and ${users.length - 5} more` : ''})`;
}

export interface NamedDocument {
  /** `inline:NAME` or the managed policy ARN. */
  source: string;
  doc: PolicyDocument;
}

/** `arn:PARTITION:iam::aws:policy/[path/]NAME` → NAME; undefined for customer managed policies. */
export function awsManagedName(arn: string): string | undefined {
  const m = /^arn:[^:]+:iam::aws:policy\/(?:.*\/)?([^/]+)$/.exec(arn);
  return m?.[1];
}

/**
 * AWS managed policies arrive without a document (the IAM collector records them by ARN: their content is public and
 * fixed), so checks judge them by name. These grant `service:*` (or everything).
 */
export function isWildcardAwsPolicy(name: string): boolean {
  return /FullAccess(V\d+)?$/.test(name) || ['AdministratorAccess', 'PowerUserAccess', 'AWSLambdaExecute', 'AmazonAPIGatewayAdministrator', 'SecretsManagerReadWrite'].includes(name);
}

/**
 * Inline and customer managed documents of the role; AWS managed policies by name; and customer managed policies whose
 * document was not collected.
 */
export function roleDocuments(role: IamRole): { docs: NamedDocument[]; awsManaged: string[]; missing: string[] } {
  const docs: NamedDocument[] = [];
  for (const p of role.RolePolicyList ?? []) if (p.PolicyDocument) docs.push({ source: `inline:${p.PolicyName ?? '?'}`, doc: p.PolicyDocument });
  const byArn = new Map((role.AttachedPolicyDocuments ?? []).map((d) => [d.PolicyArn, d.Document]));
  const awsManaged: string[] = [];
  const missing: string[] = [];
  for (const a of role.AttachedManagedPolicies ?? []) {
    const arn = a.PolicyArn ?? '';
    const doc = byArn.get(arn);
    const managed = awsManagedName(arn);
    if (doc) docs.push({ source: arn, doc });
    else if (managed) awsManaged.push(managed);
    else missing.push(arn);
  }
  return { docs, awsManaged, missing };
}

/** Every Allow statement of the documents, with its source. */
export function allowStatements(docs: NamedDocument[]): { source: string; st: PolicyStatement }[] {
  return docs.flatMap(({ source, doc }) => statementsOf(doc).filter(isAllow).map((st) => ({ source, st })));
}

/** The short name of a policy source for messages: `inline:x` stays, managed ARNs lose their prefix. */
export function shortSource(source: string): string {
  return source.startsWith('inline:') ? source : source.split('/').slice(-1)[0] ?? source;
}
