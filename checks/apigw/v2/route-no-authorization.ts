import { defineCheck, partitionOfArn, type CheckExamples, type Evaluation } from '../../../src/model/index.js';

const check = defineCheck({
  id: 'apigw.v2.route-no-authorization',
  title: 'HTTP or WebSocket API route can be called without authorization',
  description:
    'A route with AuthorizationType NONE can be called by anyone who can reach the endpoint. For HTTP APIs every non-OPTIONS route ' +
    'counts (OPTIONS carries CORS preflight); for WebSocket APIs only $connect can carry an authorizer, so $connect with NONE fails, ' +
    'and so does a WebSocket API without a $connect route (connections are then accepted unchecked). One result per failing route ' +
    '(ARN .../apis/ID/routes/ROUTEID); an API with no failing route gets one PASS. Lens SERVSEC 1.',
  severity: 'MEDIUM',
  pillar: 'SEC',
  lens: ['SERVSEC 1'],
  lens2022: ['SERVSEC 1'],
  resourceKind: 'AwsApiGatewayV2Api',
  uses: ['ApiId', 'Routes', 'ProtocolType'],
  cost: 'E',
  remediation: {
    text: 'Attach a JWT, Lambda or IAM authorizer to the route (aws apigatewayv2 update-route --api-id ID --route-id RID --authorization-type JWT --authorizer-id AID); for WebSocket APIs, on the $connect route.',
    url: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-access-control.html',
  },
  peers: {
    config: ['api-gwv2-authorization-type-configured'],
    cspm: ['APIGateway.8'],
    prowler: ['apigatewayv2_api_authorizers_enabled'],
  },
  evaluate(api, ctx) {
    if (api.Routes === undefined) return ctx.notAssessed(`The routes of API ${api.name} were not collected.`);
    const protocol = api.ProtocolType;
    if (protocol !== 'HTTP' && protocol !== 'WEBSOCKET') return ctx.notAssessed(`API ${api.name} has protocol type ${protocol ?? '(none)'}, which this check does not know.`);
    // In the API's own partition: `arn:P:apigateway:REGION::/apis/ID/routes/R`.
    const routeArn = (id: string | undefined) => `arn:${partitionOfArn(api.arn)}:apigateway:${api.region}::/apis/${api.ApiId}/routes/${id ?? 'unknown'}`;

    if (protocol === 'WEBSOCKET') {
      const connect = api.Routes.find((r) => r.RouteKey === '$connect');
      if (!connect) {
        return ctx.fail(`WebSocket API ${api.name} has no $connect route, so connections are accepted without authorization.`, { ProtocolType: protocol }, { subKey: '$connect' });
      }
      const auth = connect.AuthorizationType ?? 'NONE';
      return auth === 'NONE'
        ? ctx.fail(`The $connect route of WebSocket API ${api.name} has no authorization (AuthorizationType NONE).`, { RouteKey: '$connect', AuthorizationType: auth }, {
            resource: { arn: routeArn(connect.RouteId), name: `${api.name} $connect` },
          })
        : ctx.pass(`The $connect route of WebSocket API ${api.name} uses ${auth} authorization.`, { AuthorizationType: auth }, { subKey: 'api' });
    }

    const results: Evaluation[] = [];
    let checked = 0;
    for (const route of api.Routes) {
      const key = route.RouteKey ?? '';
      if (key.toUpperCase().startsWith('OPTIONS ')) continue;
      checked++;
      const auth = route.AuthorizationType ?? 'NONE';
      if (auth !== 'NONE') continue;
      results.push(
        ctx.fail(`Route ${key} of HTTP API ${api.name} has no authorization (AuthorizationType NONE).`, { RouteKey: key, AuthorizationType: auth }, {
          resource: { arn: routeArn(route.RouteId), name: `${api.name} ${key}` },
        }),
      );
    }
    if (results.length > 0) return results;
    return ctx.pass(`Every route of HTTP API ${api.name} requires authorization (${checked} route(s), OPTIONS excluded).`, { routes: checked }, { subKey: 'api' });
  },
});
export default check;

export const examples: CheckExamples<'AwsApiGatewayV2Api'> = {
  pass: [
    {
      name: 'HTTP routes with JWT, OPTIONS open',
      resource: {
        name: 'payments', ProtocolType: 'HTTP',
        Routes: [
          { RouteId: 'a1', RouteKey: 'POST /payments', AuthorizationType: 'JWT', AuthorizerId: 'j1' },
          { RouteId: 'a2', RouteKey: 'OPTIONS /payments', AuthorizationType: 'NONE' },
        ],
      },
    },
    {
      name: 'WebSocket with an authorized $connect',
      resource: {
        name: 'chat', ProtocolType: 'WEBSOCKET',
        Routes: [
          { RouteId: 'c1', RouteKey: '$connect', AuthorizationType: 'CUSTOM', AuthorizerId: 'l1' },
          { RouteId: 'c2', RouteKey: 'sendMessage', AuthorizationType: 'NONE' },
        ],
      },
    },
  ],
  fail: [
    {
      name: 'two open HTTP routes',
      resource: {
        name: 'payments', ProtocolType: 'HTTP',
        Routes: [
          { RouteId: 'a1', RouteKey: 'POST /payments', AuthorizationType: 'JWT', AuthorizerId: 'j1' },
          { RouteId: 'a3', RouteKey: 'POST /webhooks/stripe', AuthorizationType: 'NONE' },
          { RouteId: 'a4', RouteKey: '$default', AuthorizationType: 'NONE' },
        ],
      },
      count: 2,
    },
    { name: 'WebSocket $connect open', resource: { name: 'chat', ProtocolType: 'WEBSOCKET', Routes: [{ RouteId: 'c1', RouteKey: '$connect', AuthorizationType: 'NONE' }] } },
    { name: 'WebSocket without $connect', resource: { name: 'chat', ProtocolType: 'WEBSOCKET', Routes: [{ RouteId: 'c2', RouteKey: '$default', AuthorizationType: 'NONE' }] } },
  ],
  notAssessed: [{ resource: { gaps: { Routes: { operation: 'apigateway:GET', code: 'AccessDeniedException', message: 'denied' } } } }],
};
