import { defineCheck, type CheckExamples } from '../../src/model/index.js';

const check = defineCheck({
  id: 'lambda.function-url-public',
  title: 'Lambda function URL accepts unauthenticated requests',
  description:
    'A function URL with AuthType NONE is a public HTTPS endpoint: anyone who finds it can invoke the function, and every call is billed. ' +
    'The function must then authenticate callers itself. A CORS configuration that allows every origin ("*") is reported in the evidence. ' +
    'Functions without a URL pass. Lens SERVSEC 1.',
  severity: 'HIGH',
  pillar: 'SEC',
  lens: ['SERVSEC 1'],
  lens2022: ['SERVSEC 1'],
  resourceKind: 'AwsLambdaFunction',
  uses: ['FunctionUrlConfigs'],
  cost: 'E',
  remediation: {
    text: 'Set the function URL AuthType to AWS_IAM and sign requests with SigV4 (or put the function behind API Gateway or CloudFront with an authorizer); if the URL must stay public, authenticate in the code and restrict CORS origins.',
    url: 'https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html',
  },
  peers: { prowler: ['awslambda_function_url_public', 'awslambda_function_url_cors_policy'] },
  evaluate(fn, ctx) {
    const urls = fn.FunctionUrlConfigs;
    if (urls === undefined) return ctx.notAssessed(`The function URL configuration of function ${fn.name} was not collected.`);
    if (urls.length === 0) return ctx.pass(`Function ${fn.name} has no function URL.`);
    const open = urls.filter((u) => u.AuthType === 'NONE');
    if (open.length === 0) return ctx.pass(`The function URL(s) of function ${fn.name} require IAM authentication.`, { AuthType: urls.map((u) => u.AuthType) });
    const details = open.map((u) => ({
      FunctionUrl: u.FunctionUrl,
      AuthType: u.AuthType,
      corsAllowsAnyOrigin: (u.Cors?.AllowOrigins ?? []).includes('*'),
      ...(u.Cors?.AllowOrigins ? { CorsAllowOrigins: u.Cors.AllowOrigins } : {}),
    }));
    const cors = details.some((d) => d.corsAllowsAnyOrigin) ? ' CORS allows any origin (*).' : '';
    return ctx.fail(`Function ${fn.name} has a function URL with AuthType NONE: ${details.map((d) => d.FunctionUrl ?? '(url unknown)').join(', ')}.${cors}`, { urls: details });
  },
});
export default check;

const URL = 'https://abcdefghijklmnopqrstuvwxyz012345.lambda-url.us-east-1.on.aws/';

export const examples: CheckExamples<'AwsLambdaFunction'> = {
  pass: [
    { name: 'no URL', resource: { FunctionUrlConfigs: [] } },
    { name: 'IAM auth', resource: { FunctionUrlConfigs: [{ FunctionUrl: URL, AuthType: 'AWS_IAM' }] } },
  ],
  fail: [
    { name: 'public URL', resource: { FunctionUrlConfigs: [{ FunctionUrl: URL, AuthType: 'NONE' }] } },
    { name: 'public URL with open CORS', resource: { FunctionUrlConfigs: [{ FunctionUrl: URL, AuthType: 'NONE', Cors: { AllowOrigins: ['*'], AllowMethods: ['POST'] } }] } },
  ],
  notAssessed: [
    { name: 'ListFunctionUrlConfigs denied', resource: { gaps: { FunctionUrlConfigs: { operation: 'lambda:ListFunctionUrlConfigs', code: 'AccessDeniedException', message: 'denied' } } } },
    { name: 'not collected', resource: {} },
  ],
};
