import { defineCheck, type CheckExamples } from '../../src/model/index.js';

const check = defineCheck({
  id: 'lambda.memory-rightsizing',
  title: 'Compute Optimizer finds the Lambda function memory size over- or under-provisioned',
  description:
    'Memory also sets the CPU share, so both too much (paid and unused) and too little (slow, and often dearer per request) cost money ' +
    '(SERVCOST 1, SERVPER 1). Reads the AWS Compute Optimizer recommendation; the account must be opted in to Compute Optimizer.',
  severity: 'LOW',
  pillar: 'COST',
  lens: ['SERVCOST 1', 'SERVPER 1'],
  lens2022: ['SERVCOST 1', 'SERVPERF 1'],
  resourceKind: 'AwsLambdaFunction',
  uses: ['ComputeOptimizerFinding', 'MemorySize'],
  cost: 'C',
  remediation: {
    text: 'Set the memory size that Compute Optimizer recommends, or measure with AWS Lambda Power Tuning and pick the cheapest size that meets the latency goal.',
    url: 'https://docs.aws.amazon.com/compute-optimizer/latest/ug/view-lambda-recommendations.html',
  },
  peers: { trustedAdvisor: ['COr6dfpM05', 'COr6dfpM06'] },
  evaluate(fn, ctx) {
    const rec = fn.ComputeOptimizerFinding;
    if (rec === undefined) return ctx.notAssessed(`Compute Optimizer recommendations were not collected for function ${fn.name}.`);
    if (rec === null) return ctx.notAssessed(`Compute Optimizer has no recommendation for function ${fn.name} (too few invocations or not yet analysed).`);
    const reasons = rec.findingReasonCodes ?? [];
    const current = rec.currentMemorySize ?? fn.MemorySize;
    const evidence = { finding: rec.finding ?? null, findingReasonCodes: reasons, currentMemorySize: current ?? null, recommendedMemorySize: rec.recommendedMemorySize ?? null };
    if (rec.finding === 'Optimized') return ctx.pass(`Compute Optimizer finds function ${fn.name} (${current} MB) optimized.`, evidence);
    if (rec.finding === 'NotOptimized') {
      const direction = reasons.includes('MemoryOverprovisioned') ? 'over-provisioned' : reasons.includes('MemoryUnderprovisioned') ? 'under-provisioned' : 'not optimized';
      const to = rec.recommendedMemorySize !== undefined ? `; recommended ${rec.recommendedMemorySize} MB` : '';
      return ctx.fail(`Function ${fn.name} is ${direction} at ${current} MB${to}.`, evidence);
    }
    return ctx.notAssessed(`Compute Optimizer finding for function ${fn.name} is ${rec.finding ?? 'missing'}${reasons.length ? ` (${reasons.join(', ')})` : ''}.`);
  },
});
export default check;

export const examples: CheckExamples<'AwsLambdaFunction'> = {
  pass: [{ resource: { MemorySize: 512, ComputeOptimizerFinding: { finding: 'Optimized', findingReasonCodes: [], currentMemorySize: 512 } } }],
  fail: [
    {
      name: 'over-provisioned',
      resource: { MemorySize: 3008, ComputeOptimizerFinding: { finding: 'NotOptimized', findingReasonCodes: ['MemoryOverprovisioned'], currentMemorySize: 3008, recommendedMemorySize: 1024 } },
    },
  ],
  notAssessed: [
    { name: 'not opted in', resource: { gaps: { ComputeOptimizerFinding: { operation: 'compute-optimizer:GetLambdaFunctionRecommendations', code: 'OptInRequiredException', message: 'opt in first' } } } },
    { name: 'insufficient data', resource: { ComputeOptimizerFinding: { finding: 'Unavailable', findingReasonCodes: ['InsufficientData'] } } },
    { name: 'no recommendation', resource: { ComputeOptimizerFinding: null } },
  ],
};
