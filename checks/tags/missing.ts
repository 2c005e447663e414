import { defineCheck, type AnyResource, type CheckExamples, type Evaluation, type Kind } from '../../src/model/index.js';
import { about, listOrNotAssessed } from '../lib/region-wide.js';

const TAGGED_KINDS = ['AwsLambdaFunction', 'AwsApiGatewayRestApi', 'AwsApiGatewayV2Api', 'AwsDynamoDbTable', 'AwsKinesisStream', 'AwsSnsTopic'] as const satisfies readonly Kind[];

const check = defineCheck({
  id: 'tags.missing',
  title: 'Serverless resource has no cost-allocation tags',
  description:
    'Untagged functions, APIs, tables, streams and topics cannot be attributed to a team, application or cost centre, so spend cannot be ' +
    'tracked (lens cost section, expenditure awareness, next to SERVCOST 1). Fails when a resource has no tag other than aws:* system tags, ' +
    'or, with requiredKeys set, lacks any of those keys. One result per resource, reported under its ARN.',
  severity: 'INFORMATIONAL',
  pillar: 'COST',
  lens: ['SERVCOST 1'],
  lens2022: ['SERVCOST 1'],
  resourceKind: 'AwsAccountRegion',
  uses: [],
  needs: TAGGED_KINDS,
  cost: 'C',
  options: { requiredKeys: [] as string[] },
  remediation: {
    text: 'Tag the resource with your cost-allocation keys (e.g. aws resourcegroupstaggingapi tag-resources --resource-arn-list ARN --tags app=...,team=...), ideally from the IaC stack, and activate the keys as cost allocation tags in Billing.',
    url: 'https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html',
  },
  peers: { cspm: ['Lambda.6', 'DynamoDB.5', 'Kinesis.2', 'SNS.3'] },
  evaluate(_region, ctx) {
    const required = ctx.options.requiredKeys as string[];
    const out: Evaluation[] = [];
    for (const kind of TAGGED_KINDS) {
      const listed = listOrNotAssessed(ctx, kind);
      if ('notAssessed' in listed) {
        out.push(listed.notAssessed);
        continue;
      }
      for (const r of listed.resources as AnyResource[]) {
        const gap = r.gaps?.tags;
        if (gap) {
          out.push(about(ctx.notAssessed(`Tags of ${r.name} unknown: ${gap.operation} failed: ${gap.code}`), r));
          continue;
        }
        const keys = Object.keys(r.tags ?? {}).filter((k) => !k.toLowerCase().startsWith('aws:')).sort();
        const missing = required.filter((k) => !keys.includes(k));
        if (required.length === 0 ? keys.length === 0 : missing.length > 0) {
          out.push(about(ctx.fail(keys.length === 0 ? `${r.name} has no tags.` : `${r.name} lacks tag(s) ${missing.join(', ')} (has ${keys.join(', ')}).`, { tagKeys: keys, missing }), r));
        } else {
          out.push(about(ctx.pass(`${r.name} is tagged (${keys.join(', ')}).`, { tagKeys: keys }), r));
        }
      }
    }
    return out;
  },
});
export default check;

export const examples: CheckExamples<'AwsAccountRegion'> = {
  pass: [
    {
      name: 'function and table tagged',
      resource: {},
      others: [{ kind: 'AwsLambdaFunction', name: 'fn', tags: { team: 'orders' } }, { kind: 'AwsDynamoDbTable', name: 'tbl', tags: { app: 'shop', 'aws:cloudformation:stack-name': 's' } }],
      count: 2,
    },
    { name: 'required keys present', resource: {}, others: [{ kind: 'AwsSnsTopic', tags: { team: 't', costcenter: '42' } }], options: { requiredKeys: ['team', 'costcenter'] } },
  ],
  fail: [
    { name: 'only system tags', resource: {}, others: [{ kind: 'AwsKinesisStream', tags: { 'aws:cloudformation:stack-name': 's' } }] },
    { name: 'required key missing', resource: {}, others: [{ kind: 'AwsApiGatewayRestApi', tags: { team: 't' } }], options: { requiredKeys: ['team', 'costcenter'] } },
  ],
  notAssessed: [
    { name: 'tagging API failed', resource: {}, others: [{ kind: 'AwsLambdaFunction', gaps: { tags: { operation: 'tag:GetResources', code: 'AccessDeniedException', message: 'denied' } } }] },
    { name: 'topics not listed', resource: {}, listGaps: ['AwsSnsTopic'] },
  ],
};
