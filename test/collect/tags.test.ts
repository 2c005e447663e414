import { GetResourcesCommand, ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { tagsCollector } from '../../src/collect/tags.js';
import { makeResource } from '../../src/engine/examples.js';
import type { AnyResource, Kind } from '../../src/model/index.js';
import { makeContext, TEST_ACCOUNT } from './harness.js';

const mock = mockClient(ResourceGroupsTaggingAPIClient);
afterAll(() => mock.restore());
beforeEach(() => mock.reset());

const A = TEST_ACCOUNT;
const res = (kind: Kind, name: string, extra: Record<string, unknown> = {}) => makeResource(kind, { name, accountId: A, ...extra }) as AnyResource;
const FN = `arn:aws:lambda:us-east-1:${A}:function:orders`;
const FN2 = `arn:aws:lambda:us-east-1:${A}:function:untagged`;
const REST = 'arn:aws:apigateway:us-east-1::/restapis/a1b2c3';
const TABLE = `arn:aws:dynamodb:us-east-1:${A}:table/carts`;
const TOPIC = `arn:aws:sns:us-east-1:${A}:alerts`;
const STREAM = `arn:aws:kinesis:us-east-1:${A}:stream/clicks`;

function inventory() {
  const t = makeContext();
  for (const r of [
    res('AwsLambdaFunction', 'orders', { arn: FN }),
    res('AwsLambdaFunction', 'untagged', { arn: FN2 }),
    res('AwsApiGatewayRestApi', 'shop', { arn: REST, id: 'a1b2c3', tags: { team: 'web' } }),
    res('AwsDynamoDbTable', 'carts', { arn: TABLE }),
    res('AwsKinesisStream', 'clicks', { arn: STREAM }),
    res('AwsSnsTopic', 'alerts', { arn: TOPIC }),
  ]) t.ctx.add(r);
  return t;
}
const tagsOf = (region: ReturnType<typeof makeContext>['region']) =>
  Object.fromEntries(Object.values(region.resources).flat().map((r) => [r!.arn, { tags: r!.tags, gap: r!.gaps?.tags?.code }]));

describe('tags collector', () => {
  it('merges tags from every page by ARN; never-tagged resources keep {} and get no gap', async () => {
    // As GetResources answers: ResourceTagMappingList, PaginationToken "" on the last page; a once-tagged resource has Tags [].
    mock.on(GetResourcesCommand).resolves({
      ResourceTagMappingList: [
        { ResourceARN: FN, Tags: [{ Key: 'team', Value: 'orders' }, { Key: 'aws:cloudformation:stack-name', Value: 'shop' }] },
        { ResourceARN: REST, Tags: [{ Key: 'team', Value: 'web' }, { Key: 'app', Value: 'shop' }] },
        { ResourceARN: `${REST}/stages/prod`, Tags: [{ Key: 'stage', Value: 'prod' }] },
      ],
      PaginationToken: 'page-2-token',
    });
    mock.on(GetResourcesCommand, { PaginationToken: 'page-2-token' }).resolves({
      ResourceTagMappingList: [
        { ResourceARN: TABLE, Tags: [{ Key: 'costcenter', Value: '42' }] },
        { ResourceARN: TOPIC, Tags: [] },
        { ResourceARN: `arn:aws:lambda:us-east-1:${A}:function:not-in-inventory`, Tags: [{ Key: 'x', Value: 'y' }] },
      ],
      PaginationToken: '',
    });
    const { ctx, region } = inventory();
    await tagsCollector.collect(ctx);

    const calls = mock.commandCalls(GetResourcesCommand).map((c) => c.args[0].input);
    expect(calls).toHaveLength(2);
    expect(calls[0]).toEqual({ ResourceTypeFilters: ['apigateway', 'dynamodb:table', 'kinesis:stream', 'lambda:function', 'sns'], ResourcesPerPage: 100, PaginationToken: undefined });
    expect(calls[1]!.PaginationToken).toBe('page-2-token');
    expect(tagsOf(region)).toEqual({
      [FN]: { tags: { team: 'orders', 'aws:cloudformation:stack-name': 'shop' }, gap: undefined },
      [FN2]: { tags: {}, gap: undefined },
      [REST]: { tags: { team: 'web', app: 'shop' }, gap: undefined },
      [TABLE]: { tags: { costcenter: '42' }, gap: undefined },
      [STREAM]: { tags: {}, gap: undefined },
      [TOPIC]: { tags: {}, gap: undefined },
    });
  });

  it('a failing page leaves what earlier pages covered and gaps the rest', async () => {
    mock.on(GetResourcesCommand).resolves({ ResourceTagMappingList: [{ ResourceARN: FN, Tags: [{ Key: 'team', Value: 'orders' }] }], PaginationToken: 'p2' });
    mock.on(GetResourcesCommand, { PaginationToken: 'p2' }).rejects(
      Object.assign(new Error('User is not authorized to perform: tag:GetResources'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } }),
    );
    const { ctx, region, errors } = inventory();
    await tagsCollector.collect(ctx);

    const t = tagsOf(region);
    expect(t[FN]).toEqual({ tags: { team: 'orders' }, gap: undefined });
    for (const arn of [FN2, REST, TABLE, STREAM, TOPIC]) expect(t[arn]!.gap, arn).toBe('AccessDeniedException');
    expect(region.resources.AwsDynamoDbTable![0]!.gaps!.tags!.operation).toBe('tag:GetResources');
    expect(errors).toEqual([expect.objectContaining({ service: 'tag', operation: 'GetResources', code: 'AccessDeniedException' })]);
  });

  it('asks only for the services present, and nothing when the region has no taggable resources', async () => {
    mock.on(GetResourcesCommand).resolves({ ResourceTagMappingList: [], PaginationToken: '' });
    await tagsCollector.collect(makeContext().ctx);
    expect(mock.commandCalls(GetResourcesCommand)).toHaveLength(0);

    const { ctx } = makeContext();
    ctx.add(res('AwsSnsTopic', 'alerts', { arn: TOPIC }));
    await tagsCollector.collect(ctx);
    expect(mock.commandCalls(GetResourcesCommand).map((c) => c.args[0].input.ResourceTypeFilters)).toEqual([['sns']]);
  });
});
