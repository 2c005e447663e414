import { defineCheck, partitionOfArn, type CheckExamples, type Evaluation } from '../../../src/model/index.js';

const check = defineCheck({
  id: 'apigw.rest.method-no-authorization',
  title: 'REST API method can be called without authorization',
  description:
    'A method with authorizationType NONE lets anyone who can reach the endpoint call the backend. Every non-OPTIONS method fails ' +
    'on an API that is not PRIVATE, and on a PRIVATE API that has no resource policy. A method protected only by an API key still ' +
    'fails: the lens (SERVSEC 1) says "The API Gateway API Keys feature is not a security mechanism and should not be used for authorization." ' +
    'One result per failing method (ARN .../restapis/ID/resources/RID/methods/VERB); an API with no failing method gets one PASS.',
  severity: 'MEDIUM',
  pillar: 'SEC',
  lens: ['SERVSEC 1'],
  lens2022: ['SERVSEC 1'],
  resourceKind: 'AwsApiGatewayRestApi',
  uses: ['id', 'resources', 'endpointConfiguration', 'policy'],
  cost: 'E',
  remediation: {
    text: 'Attach an authorizer to the method (IAM, a Cognito user pool or a Lambda authorizer), or make the API PRIVATE with a resource policy that limits it to your VPC endpoints.',
    url: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-control-access-to-api.html',
  },
  peers: { prowler: ['apigateway_restapi_authorizers_enabled', 'apigateway_restapi_public_with_authorizer'] },
  evaluate(api, ctx) {
    if (api.resources === undefined) return ctx.notAssessed(`The resources and methods of REST API ${api.name} were not collected.`);
    const types = api.endpointConfiguration?.types ?? [];
    const isPrivate = types.includes('PRIVATE');
    const hasPolicy = api.policy !== null && api.policy !== undefined;
    if (isPrivate && hasPolicy) {
      return ctx.pass(`REST API ${api.name} is PRIVATE with a resource policy; methods are reachable only as that policy allows.`, { endpointTypes: types }, { subKey: 'api' });
    }

    const results: Evaluation[] = [];
    let checked = 0;
    for (const res of api.resources) {
      for (const [verb, method] of Object.entries(res.resourceMethods ?? {})) {
        if (verb.toUpperCase() === 'OPTIONS') continue;
        checked++;
        const authType = method.authorizationType ?? 'NONE';
        if (authType !== 'NONE') continue;
        const path = res.path ?? '/';
        const where = `${verb} ${path}`;
        const why = isPrivate ? 'on a PRIVATE API without a resource policy' : `on a ${types.join('/') || 'public'} API`;
        const message = method.apiKeyRequired
          ? `Method ${where} of REST API ${api.name} requires only an API key (authorizationType NONE) ${why}; API keys identify callers, they are not authorization.`
          : `Method ${where} of REST API ${api.name} has no authorization (authorizationType NONE) ${why}.`;
        results.push(
          ctx.fail(
            message,
            { httpMethod: verb, path, authorizationType: authType, apiKeyRequired: method.apiKeyRequired ?? false, endpointTypes: types, hasResourcePolicy: hasPolicy },
            // In the API's own partition: `arn:P:apigateway:REGION::/restapis/ID/resources/R/methods/GET`.
            { resource: { arn: `arn:${partitionOfArn(api.arn)}:apigateway:${api.region}::/restapis/${api.id}/resources/${res.id}/methods/${verb}`, name: `${api.name} ${where}` } },
          ),
        );
      }
    }
    if (results.length > 0) return results;
    return ctx.pass(`Every method of REST API ${api.name} requires authorization (${checked} method(s), OPTIONS excluded).`, { methods: checked }, { subKey: 'api' });
  },
});
export default check;

const resources = [
  { id: 'r0', path: '/', resourceMethods: {} },
  {
    id: 'r1',
    path: '/orders',
    resourceMethods: {
      GET: { httpMethod: 'GET', authorizationType: 'COGNITO_USER_POOLS', authorizerId: 'au1', apiKeyRequired: false },
      POST: { httpMethod: 'POST', authorizationType: 'AWS_IAM', apiKeyRequired: false },
      OPTIONS: { httpMethod: 'OPTIONS', authorizationType: 'NONE', apiKeyRequired: false },
    },
  },
];

export const examples: CheckExamples<'AwsApiGatewayRestApi'> = {
  pass: [
    { name: 'every method authorized (OPTIONS ignored)', resource: { name: 'orders', endpointConfiguration: { types: ['REGIONAL'] }, policy: null, resources } },
    {
      name: 'private API with a resource policy',
      resource: {
        name: 'internal',
        endpointConfiguration: { types: ['PRIVATE'], vpcEndpointIds: ['vpce-0a1b2c3d'] },
        policy: { Statement: [{ Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*', Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-0a1b2c3d' } } }] },
        resources: [{ id: 'r1', path: '/status', resourceMethods: { GET: { authorizationType: 'NONE' } } }],
      },
    },
  ],
  fail: [
    {
      name: 'two open methods, one with an API key',
      resource: {
        name: 'orders',
        endpointConfiguration: { types: ['EDGE'] },
        policy: null,
        resources: [
          ...resources,
          { id: 'r2', path: '/health', resourceMethods: { GET: { httpMethod: 'GET', authorizationType: 'NONE', apiKeyRequired: false } } },
          { id: 'r3', path: '/orders/{id}', resourceMethods: { GET: { httpMethod: 'GET', authorizationType: 'NONE', apiKeyRequired: true } } },
        ],
      },
      count: 2,
    },
    {
      name: 'private API without a policy',
      resource: { name: 'internal', endpointConfiguration: { types: ['PRIVATE'] }, policy: null, resources: [{ id: 'r1', path: '/status', resourceMethods: { GET: { authorizationType: 'NONE' } } }] },
    },
  ],
  notAssessed: [
    { name: 'GetResources denied', resource: { gaps: { resources: { operation: 'apigateway:GET', code: 'AccessDeniedException', message: 'denied' } } } },
  ],
};
