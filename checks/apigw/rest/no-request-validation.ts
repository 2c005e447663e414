import { defineCheck, type CheckExamples } from '../../../src/model/index.js';

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'ANY']);

const check = defineCheck({
  id: 'apigw.rest.no-request-validation',
  title: 'REST API accepts request bodies without validation',
  description:
    'Basic request validation rejects malformed bodies at the edge, before they cost an invocation or reach code that trusts them. ' +
    'The lens (SERVSEC 7): "set up API Gateway basic request validation as a first step". Fails for POST, PUT, PATCH and ANY methods with ' +
    'no request validator, or whose validator does not validate the body.',
  severity: 'LOW',
  pillar: 'SEC',
  lens: ['SERVSEC 7'],
  lens2022: ['SERVSEC 3'],
  resourceKind: 'AwsApiGatewayRestApi',
  uses: ['resources', 'requestValidators'],
  cost: 'E',
  remediation: {
    text: 'Define a request model for the method and attach a request validator with validateRequestBody=true (aws apigateway update-method --patch-operations op=replace,path=/requestValidatorId,value=ID).',
    url: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-method-request-validation.html',
  },
  peers: {},
  evaluate(api, ctx) {
    if (!api.resources || !api.requestValidators) return ctx.notAssessed(`Resources or request validators of REST API ${api.name} were not collected.`);
    const validators = new Map(api.requestValidators.map((v) => [v.id, v]));
    const unvalidated: string[] = [];
    let checked = 0;
    for (const r of api.resources) {
      for (const [verb, m] of Object.entries(r.resourceMethods ?? {})) {
        if (!BODY_METHODS.has(verb.toUpperCase())) continue;
        checked++;
        const v = m.requestValidatorId ? validators.get(m.requestValidatorId) : undefined;
        if (!v?.validateRequestBody) unvalidated.push(`${verb} ${r.path ?? r.id}`);
      }
    }
    if (checked === 0) return ctx.pass(`REST API ${api.name} has no methods that take a request body.`);
    return unvalidated.length > 0
      ? ctx.fail(`REST API ${api.name} does not validate the body of ${unvalidated.length} of ${checked} method(s): ${unvalidated.slice(0, 10).join(', ')}${unvalidated.length > 10 ? ', ...' : ''}.`, { methods: unvalidated })
      : ctx.pass(`REST API ${api.name} validates the body of all ${checked} body-carrying method(s).`);
  },
});
export default check;

const validators = [{ id: 'v-body', name: 'body', validateRequestBody: true, validateRequestParameters: false }, { id: 'v-params', name: 'params', validateRequestBody: false, validateRequestParameters: true }];

export const examples: CheckExamples<'AwsApiGatewayRestApi'> = {
  pass: [
    { resource: { requestValidators: validators, resources: [{ id: 'r1', path: '/orders', resourceMethods: { GET: {}, POST: { requestValidatorId: 'v-body' } } }] } },
    { name: 'read-only API', resource: { requestValidators: [], resources: [{ id: 'r1', path: '/orders', resourceMethods: { GET: {} } }] } },
  ],
  fail: [
    {
      resource: {
        requestValidators: validators,
        resources: [
          { id: 'r1', path: '/orders', resourceMethods: { POST: { requestValidatorId: 'v-params' } } },
          { id: 'r2', path: '/{proxy+}', resourceMethods: { ANY: {} } },
        ],
      },
    },
  ],
  notAssessed: [{ resource: { gaps: { resources: { operation: 'apigateway:GetResources', code: 'TooManyRequestsException', message: 'slow down' } } } }],
};
