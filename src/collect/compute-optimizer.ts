// AWS Compute Optimizer memory recommendations for the region's functions (GetLambdaFunctionRecommendations, one
// paginated sweep), stored as `ComputeOptimizerFinding` on each function. Stage 2: it needs the Lambda inventory.
// An account that has not opted in answers OptInRequiredException: every function gets a gap saying so.
import { ComputeOptimizerClient, GetLambdaFunctionRecommendationsCommand, type LambdaFunctionRecommendation } from '@aws-sdk/client-compute-optimizer';
import { errorCode, toGap } from '../aws/errors.js';
import { paginate } from '../aws/paginate.js';
import type { LambdaFunction } from '../model/index.js';
import type { Collector } from './types.js';

const OPERATION = 'compute-optimizer:GetLambdaFunctionRecommendations';

export const computeOptimizerCollector: Collector = {
  name: 'compute-optimizer',
  kinds: ['AwsLambdaFunction'],
  scope: 'region',
  stage: 2,
  operations: [OPERATION],
  async collect(ctx) {
    const functions = ctx.inventory().regions.find((r) => r.region === ctx.region)?.resources.AwsLambdaFunction ?? [];
    if (functions.length === 0) return;
    const client = ctx.client(ComputeOptimizerClient);
    let recs: LambdaFunctionRecommendation[];
    try {
      recs = await paginate(async (nextToken) => {
        const out = await ctx.limit('compute-optimizer', () => client.send(new GetLambdaFunctionRecommendationsCommand({ nextToken, maxResults: 1000 })));
        return { items: out.lambdaFunctionRecommendations ?? [], next: out.nextToken };
      });
    } catch (err) {
      const gap = toGap(OPERATION, err);
      if (errorCode(err) === 'OptInRequiredException') {
        gap.message = 'The account is not opted in to AWS Compute Optimizer (opt in with aws compute-optimizer update-enrollment-status --status Active; recommendations follow after about 14 days of metrics).';
      } else {
        ctx.error('compute-optimizer', 'GetLambdaFunctionRecommendations', err);
      }
      for (const fn of functions) fn.gaps = { ...fn.gaps, ComputeOptimizerFinding: gap };
      return;
    }
    const byFunction = new Map<string, LambdaFunctionRecommendation>();
    for (const rec of recs) {
      // functionArn may carry the version; recommendations for $LATEST describe the configuration the checks read.
      const arn = (rec.functionArn ?? '').split(':').slice(0, 7).join(':');
      const seen = byFunction.get(arn);
      if (!seen || (rec.functionVersion === '$LATEST' && seen.functionVersion !== '$LATEST')) byFunction.set(arn, rec);
    }
    for (const fn of functions) fn.ComputeOptimizerFinding = toFinding(byFunction.get(fn.arn));
  },
};

function toFinding(rec: LambdaFunctionRecommendation | undefined): LambdaFunction['ComputeOptimizerFinding'] {
  if (!rec) return null;
  const best = [...(rec.memorySizeRecommendationOptions ?? [])].sort((a, b) => (a.rank ?? 99) - (b.rank ?? 99))[0];
  return {
    finding: rec.finding,
    findingReasonCodes: rec.findingReasonCodes ?? [],
    currentMemorySize: rec.currentMemorySize,
    recommendedMemorySize: best?.memorySize,
    numberOfInvocations: rec.numberOfInvocations,
    lookbackPeriodInDays: rec.lookbackPeriodInDays,
    lastRefreshTimestamp: rec.lastRefreshTimestamp?.toISOString(),
  };
}
