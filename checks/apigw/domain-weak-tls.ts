import { defineCheck, type CheckExamples, type Evaluation } from '../../src/model/index.js';

const check = defineCheck({
  id: 'apigw.domain-weak-tls',
  title: 'API Gateway custom domain allows TLS 1.0',
  description:
    'A custom domain with security policy TLS_1_0 accepts TLS 1.0 and 1.1, which are deprecated and weak (SERVSEC 6). Set allowedSecurityPolicies ' +
    'to require specific policies instead (any other policy then fails). One result per custom domain (REST and v2 share domains), reported under ' +
    'arn:aws:apigateway:REGION::/domainnames/NAME.',
  severity: 'MEDIUM',
  pillar: 'SEC',
  lens: ['SERVSEC 6'],
  lens2022: [],
  resourceKind: 'AwsAccountRegion',
  uses: ['ApiGatewayDomainNames'],
  // Not read through ctx.list: declared so that the API Gateway collectors (which fill the domain names) run.
  needs: ['AwsApiGatewayRestApi', 'AwsApiGatewayV2Api'],
  cost: 'C',
  options: { allowedSecurityPolicies: [] as string[] },
  remediation: {
    text: 'Switch the domain to TLS_1_2 or a newer enhanced security policy (aws apigateway update-domain-name --domain-name NAME --patch-operations op=replace,path=/securityPolicy,value=TLS_1_2).',
    url: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-custom-domain-tls-version.html',
  },
  peers: { cspm: ['APIGateway.11'], config: ['apigateway-domain-name-tls-check'], prowler: ['apigateway_domain_name_pqc_tls_enabled'] },
  evaluate(region, ctx) {
    const allowed = ctx.options.allowedSecurityPolicies as string[];
    const partition = region.arn.split(':')[1] ?? 'aws';
    if (!region.ApiGatewayDomainNames) return ctx.notAssessed(`API Gateway custom domain names were not collected in ${region.region}.`);
    const byName = new Map<string, Set<string>>();
    for (const d of region.ApiGatewayDomainNames) {
      const set = byName.get(d.domainName) ?? new Set<string>();
      set.add(d.securityPolicy ?? 'unknown');
      byName.set(d.domainName, set);
    }
    const out: Evaluation[] = [];
    for (const [name, policies] of [...byName].sort(([a], [b]) => a.localeCompare(b))) {
      const resource = { arn: `arn:${partition}:apigateway:${region.region}::/domainnames/${name}`, name, kind: 'AwsApiGatewayDomainName' };
      const bad = [...policies].filter((p) => p === 'TLS_1_0' || (allowed.length > 0 && !allowed.includes(p)));
      out.push(
        bad.length > 0
          ? ctx.fail(`Custom domain ${name} uses security policy ${bad.join(', ')}${allowed.length > 0 ? ` (allowed: ${allowed.join(', ')})` : ''}.`, { securityPolicy: [...policies] }, { resource })
          : ctx.pass(`Custom domain ${name} uses security policy ${[...policies].join(', ')}.`, { securityPolicy: [...policies] }, { resource }),
      );
    }
    return out;
  },
});
export default check;

export const examples: CheckExamples<'AwsAccountRegion'> = {
  pass: [
    { resource: { ApiGatewayDomainNames: [{ domainName: 'api.example.com', securityPolicy: 'TLS_1_2', api: 'rest' }, { domainName: 'api.example.com', securityPolicy: 'TLS_1_2', api: 'v2' }] } },
    { name: 'no custom domains', resource: { ApiGatewayDomainNames: [] }, count: 0 },
  ],
  fail: [
    { resource: { ApiGatewayDomainNames: [{ domainName: 'legacy.example.com', securityPolicy: 'TLS_1_0', api: 'rest' }] } },
    {
      name: 'allowlist',
      resource: { ApiGatewayDomainNames: [{ domainName: 'api.example.com', securityPolicy: 'TLS_1_2', api: 'v2' }] },
      options: { allowedSecurityPolicies: ['SecurityPolicy_TLS13_1_3_2025_09'] },
    },
  ],
  notAssessed: [{ resource: { gaps: { ApiGatewayDomainNames: { operation: 'apigateway:GetDomainNames', code: 'AccessDeniedException', message: 'denied' } } } }],
};
