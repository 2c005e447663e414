// Lambda: functions (ListFunctions + five per-function calls, + GetPolicy per alias) and event source mappings (one
// regional sweep).
// Environment variable values never reach the inventory: they are replaced by profiles (redact.ts) here.
import {
  GetFunctionConcurrencyCommand, GetPolicyCommand, LambdaClient, paginateListAliases, paginateListEventSourceMappings,
  paginateListFunctionEventInvokeConfigs, paginateListFunctions, paginateListFunctionUrlConfigs,
  type EventSourceMappingConfiguration, type FunctionConfiguration,
} from '@aws-sdk/client-lambda';
import { errorCode, errorMessage, toGap } from '../aws/errors.js';
import type { LambdaAlias, LambdaEventSourceMapping, LambdaFunction, PolicyDocument } from '../model/index.js';
import { concurrencyOf, eachAtMost } from './context.js';
import { jsonSafe, jsonSafeWith } from './json.js';
import { profileEnvironment, profileText } from './redact.js';
import type { CollectContext, Collector } from './types.js';

export const lambdaCollector: Collector = {
  name: 'lambda',
  kinds: ['AwsLambdaFunction', 'AwsLambdaEventSourceMapping'],
  scope: 'region',
  operations: [
    'lambda:ListFunctions',
    'lambda:ListEventSourceMappings',
    'lambda:GetPolicy',
    'lambda:ListFunctionUrlConfigs',
    'lambda:ListFunctionEventInvokeConfigs',
    'lambda:GetFunctionConcurrency',
    'lambda:ListAliases',
  ],
  async collect(ctx) {
    const client = ctx.client(LambdaClient);
    const [functions] = await Promise.all([
      // Functions are listed even when only mappings are needed: IAM and cross-kind checks read them.
      listFunctions(ctx, client),
      ctx.options.kinds.has('AwsLambdaEventSourceMapping') ? listEventSourceMappings(ctx, client) : undefined,
    ]);
    if (ctx.options.kinds.has('AwsLambdaFunction')) {
      // Two functions per Lambda call slot of the region at a time (each has five calls): every slot stays busy, and
      // the other functions wait as items of a list rather than as hundreds of suspended calls.
      await eachAtMost(functions, 2 * concurrencyOf(ctx.options, 'lambda'), (fn) => collectFunctionDetails(ctx, client, fn));
    }
  },
};

/** `arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]` without the qualifier. */
export function unqualifiedFunctionArn(arn: string): string {
  return arn.split(':').slice(0, 7).join(':');
}

async function listFunctions(ctx: CollectContext, client: LambdaClient): Promise<LambdaFunction[]> {
  const out: LambdaFunction[] = [];
  await ctx.limit('lambda', async () => {
    try {
      for await (const page of paginateListFunctions({ client, stopOnSameToken: true }, {})) {
        for (const raw of page.Functions ?? []) {
          const fn = toFunction(ctx, raw);
          ctx.add(fn);
          out.push(fn);
        }
      }
    } catch (err) {
      // Functions from the pages already read stay: they are real; the gap makes region-wide checks NOT_ASSESSED.
      ctx.listGap('AwsLambdaFunction', ctx.accountRegion().arn, 'lambda:ListFunctions', err, ctx.accountRegion().name);
    }
  });
  return out;
}

function toFunction(ctx: CollectContext, raw: FunctionConfiguration): LambdaFunction {
  const { Environment, Description, ...rest } = raw;
  const fn = jsonSafeWith(rest, {
    // Free text: profiled like an environment value (descriptions end up holding `token=…` notes).
    ...(Description !== undefined ? { Description: profileText(Description) } : {}),
    kind: 'AwsLambdaFunction',
    arn: unqualifiedFunctionArn(raw.FunctionArn ?? ''),
    name: raw.FunctionName ?? '',
    accountId: ctx.accountId,
    region: ctx.region,
    tags: {},
  }) as unknown as LambdaFunction;
  if (Environment) {
    fn.Environment = {};
    const variables = profileEnvironment(Environment.Variables);
    if (variables) fn.Environment.Variables = variables;
    // Returned instead of Variables when the caller cannot decrypt them with the function's KMS key.
    if (Environment.Error) fn.Environment.Error = { ErrorCode: Environment.Error.ErrorCode, Message: errorMessage({ message: Environment.Error.Message ?? '' }) };
  }
  return fn;
}

async function listEventSourceMappings(ctx: CollectContext, client: LambdaClient): Promise<void> {
  await ctx.limit('lambda', async () => {
    try {
      for await (const page of paginateListEventSourceMappings({ client, stopOnSameToken: true }, {})) {
        for (const raw of page.EventSourceMappings ?? []) ctx.add(toMapping(ctx, raw));
      }
    } catch (err) {
      ctx.listGap('AwsLambdaEventSourceMapping', ctx.accountRegion().arn, 'lambda:ListEventSourceMappings', err, ctx.accountRegion().name);
    }
  });
}

function toMapping(ctx: CollectContext, raw: EventSourceMappingConfiguration): LambdaEventSourceMapping {
  const uuid = raw.UUID ?? '';
  return jsonSafeWith(raw, {
    kind: 'AwsLambdaEventSourceMapping',
    arn: raw.EventSourceMappingArn ?? `arn:${ctx.partition}:lambda:${ctx.region}:${ctx.accountId}:event-source-mapping:${uuid}`,
    name: uuid,
    accountId: ctx.accountId,
    region: ctx.region,
    tags: {},
    UUID: uuid,
  }) as unknown as LambdaEventSourceMapping;
}

class InvalidPolicyJson extends Error {
  override name = 'InvalidPolicyJson';
}

export function parsePolicyJson(text: string): PolicyDocument {
  try {
    return JSON.parse(text) as PolicyDocument;
  } catch {
    throw new InvalidPolicyJson('the resource policy is not valid JSON');
  }
}

type DetailField = 'Policy' | 'FunctionUrlConfigs' | 'FunctionEventInvokeConfigs' | 'ReservedConcurrentExecutions' | 'Aliases';

/** A resource policy (of the function, or of one alias with `Qualifier`); `null` when there is none. */
async function getPolicy(client: LambdaClient, FunctionName: string, Qualifier?: string): Promise<PolicyDocument | null> {
  try {
    const out = await client.send(new GetPolicyCommand(Qualifier ? { FunctionName, Qualifier } : { FunctionName }));
    return out.Policy ? parsePolicyJson(out.Policy) : null;
  } catch (err) {
    // GetPolicy answers ResourceNotFoundException when the function (or alias) has no resource-based policy.
    if (errorCode(err) === 'ResourceNotFoundException') return null;
    throw err;
  }
}

/**
 * ListAliases, then GetPolicy with Qualifier per alias: a grant on `fn:live` is in the alias's policy only. A failed
 * alias policy is a gap on that alias alone.
 */
async function collectAliases(ctx: CollectContext, client: LambdaClient, fn: LambdaFunction): Promise<LambdaAlias[]> {
  const FunctionName = fn.FunctionName;
  const aliases: LambdaAlias[] = [];
  await ctx.limit('lambda', async () => {
    for await (const page of paginateListAliases({ client, stopOnSameToken: true }, { FunctionName })) {
      for (const a of page.Aliases ?? []) {
        if (!a.Name) continue;
        aliases.push({
          AliasArn: a.AliasArn ?? `${fn.arn}:${a.Name}`, Name: a.Name,
          ...(a.FunctionVersion !== undefined ? { FunctionVersion: a.FunctionVersion } : {}),
        });
      }
    }
  });
  await Promise.all(aliases.map(async (alias) => {
    try {
      alias.Policy = await ctx.limit('lambda', () => getPolicy(client, FunctionName, alias.Name));
    } catch (err) {
      alias.gaps = { Policy: toGap('lambda:GetPolicy', err) };
    }
  }));
  return aliases;
}

/** The five per-function calls (and the aliases' policies); each failure becomes a gap on its field only. */
async function collectFunctionDetails(ctx: CollectContext, client: LambdaClient, fn: LambdaFunction): Promise<void> {
  const FunctionName = fn.FunctionName;
  const call = <T>(f: () => Promise<T>) => ctx.limit('lambda', f);
  const field = async <F extends DetailField>(key: F, operation: string, get: () => Promise<LambdaFunction[F]>) => {
    try {
      fn[key] = await get();
    } catch (err) {
      fn.gaps = { ...fn.gaps, [key]: toGap(operation, err) };
    }
  };
  await Promise.all([
    field('Policy', 'lambda:GetPolicy', () => call(() => getPolicy(client, FunctionName))),
    field('Aliases', 'lambda:ListAliases', () => collectAliases(ctx, client, fn)),
    field('FunctionUrlConfigs', 'lambda:ListFunctionUrlConfigs', () =>
      call(async () => {
        const items: LambdaFunction['FunctionUrlConfigs'] = [];
        for await (const page of paginateListFunctionUrlConfigs({ client, stopOnSameToken: true }, { FunctionName })) {
          items.push(...jsonSafe(page.FunctionUrlConfigs ?? []));
        }
        return items;
      })),
    field('FunctionEventInvokeConfigs', 'lambda:ListFunctionEventInvokeConfigs', () =>
      call(async () => {
        const items: LambdaFunction['FunctionEventInvokeConfigs'] = [];
        for await (const page of paginateListFunctionEventInvokeConfigs({ client, stopOnSameToken: true }, { FunctionName })) {
          items.push(...jsonSafe(page.FunctionEventInvokeConfigs ?? []));
        }
        return items;
      })),
    field('ReservedConcurrentExecutions', 'lambda:GetFunctionConcurrency', async () => {
      const out = await call(() => client.send(new GetFunctionConcurrencyCommand({ FunctionName })));
      return out.ReservedConcurrentExecutions ?? null;
    }),
  ]);
}
