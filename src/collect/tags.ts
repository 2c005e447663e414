// Tags of the region's serverless resources from one paginated sweep of the Resource Groups Tagging API, merged into
// the resources the stage-1 collectors found (ListFunctions, DescribeTable, ... return no tags).
// GetResources leaves out resources that were never tagged, so a resource it does not return really has no tags and
// keeps `tags: {}`. When the sweep fails, the resources it did not cover get `gaps.tags` instead.
import { GetResourcesCommand, ResourceGroupsTaggingAPIClient, type ResourceTagMapping } from '@aws-sdk/client-resource-groups-tagging-api';
import { toGap } from '../aws/errors.js';
import { paginate } from '../aws/paginate.js';
import type { AnyResource, Kind } from '../model/index.js';
import type { Collector } from './types.js';

/** Resource kinds whose tags are read, with the GetResources ResourceTypeFilters that return them. */
const FILTERS: Partial<Record<Kind, string>> = {
  AwsLambdaFunction: 'lambda:function',
  // API Gateway tagging ARNs are arn:aws:apigateway:REGION::/restapis/ID (and /stages/NAME, /apis/ID): the canonical ARNs.
  AwsApiGatewayRestApi: 'apigateway',
  AwsApiGatewayStage: 'apigateway',
  AwsApiGatewayV2Api: 'apigateway',
  AwsApiGatewayV2Stage: 'apigateway',
  AwsDynamoDbTable: 'dynamodb:table',
  AwsKinesisStream: 'kinesis:stream',
  // Topic ARNs carry no resource-type segment (arn:aws:sns:REGION:ACCOUNT:NAME), so the filter is the service alone.
  AwsSnsTopic: 'sns',
};
const TAGGED_KINDS = Object.keys(FILTERS) as Kind[];

export const tagsCollector: Collector = {
  name: 'tags',
  kinds: TAGGED_KINDS,
  scope: 'region',
  stage: 2,
  operations: ['tag:GetResources'],
  async collect(ctx) {
    const region = ctx.inventory().regions.find((r) => r.region === ctx.region);
    const resources = TAGGED_KINDS.flatMap((k) => (region?.resources[k] ?? []) as AnyResource[]);
    if (resources.length === 0) return;
    const filters = [...new Set(TAGGED_KINDS.filter((k) => (region?.resources[k] ?? []).length > 0).map((k) => FILTERS[k]!))].sort();
    const byArn = new Map(resources.map((r) => [r.arn, r]));
    const covered = new Set<string>();
    const client = ctx.client(ResourceGroupsTaggingAPIClient);
    const apply = (m: ResourceTagMapping) => {
      const r = m.ResourceARN ? byArn.get(m.ResourceARN) : undefined;
      if (!r) return;
      r.tags = { ...r.tags, ...Object.fromEntries((m.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? ''])) };
      covered.add(r.arn);
    };
    try {
      await paginate(async (PaginationToken) => {
        const out = await ctx.limit('tag', () => client.send(new GetResourcesCommand({ ResourceTypeFilters: filters, ResourcesPerPage: 100, PaginationToken })));
        // Applied page by page: what earlier pages returned is true even if a later page fails.
        for (const m of out.ResourceTagMappingList ?? []) apply(m);
        // The last page answers PaginationToken "" (empty string).
        return { items: [], next: out.PaginationToken || undefined };
      });
    } catch (err) {
      const gap = toGap('tag:GetResources', err);
      for (const r of resources) if (!covered.has(r.arn)) r.gaps = { ...r.gaps, tags: gap };
      ctx.error('tag', 'GetResources', err);
    }
  },
};
