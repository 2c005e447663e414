// The collect context's own parts (src/collect/context.ts): eachAtMost, and the clients an account's collectors hand
// back when they end.
import { LambdaClient } from '@aws-sdk/client-lambda';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { IAMClient } from '@aws-sdk/client-iam';
import { SNSClient } from '@aws-sdk/client-sns';
import { describe, expect, it, vi } from 'vitest';
import { ClientFactory } from '../../src/aws/clients.js';
import { AccountCollection, eachAtMost } from '../../src/collect/context.js';
import { silentLogger } from '../../src/collect/types.js';
import { KINDS } from '../../src/model/index.js';

describe('eachAtMost', () => {
  it('runs every item once, in order, never more than n at once', async () => {
    let inFlight = 0;
    let most = 0;
    const started: number[] = [];
    await eachAtMost(Array.from({ length: 20 }, (_, i) => i), 3, async (i) => {
      started.push(i);
      most = Math.max(most, ++inFlight);
      await new Promise((r) => setTimeout(r, 1 + (i % 3)));
      inFlight--;
    });
    expect(started).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(most).toBe(3);
    await eachAtMost([], 4, async () => expect.fail('no item'));
  });

  it('rejects with the first error once the started items have ended, and starts no further item', async () => {
    const ended: number[] = [];
    const started: number[] = [];
    await expect(eachAtMost([0, 1, 2, 3, 4, 5], 2, async (i) => {
      started.push(i);
      await new Promise((r) => setTimeout(r, i === 0 ? 1 : 5));
      if (i === 0) throw new Error('first');
      ended.push(i);
    })).rejects.toThrow('first');
    // 0 failed while 1 was running: 1 ends, nothing after it starts.
    expect(started).toEqual([0, 1]);
    expect(ended).toEqual([1]);
  });
});

describe('AccountCollection: clients a collector held go when no running collector holds them', () => {
  const make = (factory: ClientFactory) =>
    new AccountCollection({ factory, accountId: '123456789012', partition: 'aws', regions: ['eu-west-1'], options: { metrics: false, kinds: new Set(KINDS) }, log: silentLogger });
  const creds = { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' };

  it('kept while another collector holds it; a new one (same factory: pacer, breaker, counter) once none does', async () => {
    const factory = new ClientFactory({ credentials: creds });
    const collection = make(factory);
    const [a, b, c] = [new Set<string>(), new Set<string>(), new Set<string>()];
    const lambdaA = collection.context('eu-west-1', 'a', a).client(LambdaClient);
    const lambdaB = collection.context('eu-west-1', 'b', b).client(LambdaClient);
    const sns = collection.context('eu-west-1', 'b', b).client(SNSClient);
    expect(lambdaB).toBe(lambdaA);
    const destroyed = vi.spyOn(lambdaA, 'destroy');
    const snsDestroyed = vi.spyOn(sns, 'destroy');
    collection.releaseClients(a);
    expect(destroyed).not.toHaveBeenCalled();
    expect(collection.context('eu-west-1', 'c', c).client(LambdaClient)).toBe(lambdaA);
    collection.releaseClients(b);
    expect(destroyed).not.toHaveBeenCalled();
    expect(snsDestroyed).toHaveBeenCalledTimes(1);
    collection.releaseClients(c);
    // Its own sockets are closed with it; the next collector gets a new client.
    expect(destroyed).toHaveBeenCalledTimes(1);
    const again = collection.context('eu-west-1', 'd', new Set()).client(LambdaClient);
    expect(again).not.toBe(lambdaA);
  });

  it('a client handed out without being held (a context given no set, ClientFactory.get) is never released', async () => {
    const factory = new ClientFactory({ credentials: creds });
    const collection = make(factory);
    const plain = collection.context('eu-west-1').client(LambdaClient);
    const held = new Set<string>();
    expect(collection.context('eu-west-1', 'a', held).client(LambdaClient)).toBe(plain);
    const destroyed = vi.spyOn(plain, 'destroy');
    collection.releaseClients(held);
    expect(destroyed).not.toHaveBeenCalled();
    expect(collection.context('eu-west-1', 'b', new Set()).client(LambdaClient)).toBe(plain);
  });

  it('accounts sharing one factory: the client goes when the last of them lets it go', async () => {
    const factory = new ClientFactory({ credentials: creds });
    const one = make(factory);
    const two = make(factory);
    const [a, b] = [new Set<string>(), new Set<string>()];
    const client = one.context('eu-west-1', 'lambda', a).client(LambdaClient);
    expect(two.context('eu-west-1', 'lambda', b).client(LambdaClient)).toBe(client);
    const destroyed = vi.spyOn(client, 'destroy');
    one.releaseClients(a);
    expect(destroyed).not.toHaveBeenCalled();
    two.releaseClients(b);
    expect(destroyed).toHaveBeenCalledTimes(1);
  });

  it('with a proxy, released clients leave the shared proxy agents open; destroying the factory closes them', async () => {
    const before = process.env.HTTPS_PROXY;
    process.env.HTTPS_PROXY = 'http://127.0.0.1:9';
    try {
      const factory = new ClientFactory({ credentials: creds });
      const collection = make(factory);
      const held = new Set<string>();
      const client = collection.context('eu-west-1', 'a', held).client(LambdaClient);
      const agents = (factory as unknown as { proxy: { agents: { httpAgent: { destroy(): void }; httpsAgent: { destroy(): void } } } }).proxy.agents;
      const clientDestroyed = vi.spyOn(client, 'destroy');
      const agentDestroyed = vi.spyOn(agents.httpsAgent, 'destroy');
      collection.releaseClients(held);
      expect(clientDestroyed).not.toHaveBeenCalled();
      expect(agentDestroyed).not.toHaveBeenCalled();
      factory.destroy();
      expect(agentDestroyed).toHaveBeenCalledTimes(1);
    } finally {
      if (before === undefined) delete process.env.HTTPS_PROXY;
      else process.env.HTTPS_PROXY = before;
    }
  });

  it('kept while a collector still to end in its region declares calls to its service; it goes when that one ends', async () => {
    const factory = new ClientFactory({ credentials: creds });
    const collection = make(factory);
    // Stage 1's quotas (account-wide: its clients are in the first region) and stage 2's IAM collector both call IAM.
    collection.expectCollector('global', ['iam:GetAccountSummary', 'servicequotas:GetServiceQuota']);
    collection.expectCollector('global', ['iam:ListRoles']);
    collection.expectCollector('eu-west-1', ['sns:ListTopics']);
    const quotas = new Set<string>();
    const iam = collection.context('global', 'quotas', quotas).client(IAMClient);
    collection.releaseClients(quotas, { region: 'global', operations: ['iam:GetAccountSummary', 'servicequotas:GetServiceQuota'] });
    // The IAM collector has not ended (nor started): the client waits for it, and it gets the same one.
    const later = new Set<string>();
    expect(collection.context('global', 'iam', later).client(IAMClient)).toBe(iam);
    const iamDestroyed = vi.spyOn(iam, 'destroy');
    collection.releaseClients(later, { region: 'global', operations: ['iam:ListRoles'] });
    expect(iamDestroyed).toHaveBeenCalledTimes(1);
    // Another region's collectors do not hold this region's clients.
    const sns = new Set<string>();
    const topics = collection.context('eu-west-1', 'sns', sns).client(SNSClient);
    const snsDestroyed = vi.spyOn(topics, 'destroy');
    collection.releaseClients(sns, { region: 'eu-west-1', operations: ['sns:ListTopics'] });
    expect(snsDestroyed).toHaveBeenCalledTimes(1);
  });

  it('a client kept for a collector that then never asks for it goes when that collector ends', async () => {
    const factory = new ClientFactory({ credentials: creds });
    const collection = make(factory);
    collection.expectCollector('eu-west-1', ['cloudwatch:DescribeAlarms']);
    collection.expectCollector('eu-west-1', ['cloudwatch:GetMetricData', 'servicequotas:ListServiceQuotas']);
    const alarms = new Set<string>();
    const cloudwatch = collection.context('eu-west-1', 'alarms', alarms).client(CloudWatchClient);
    const destroyed = vi.spyOn(cloudwatch, 'destroy');
    collection.releaseClients(alarms, { region: 'eu-west-1', operations: ['cloudwatch:DescribeAlarms'] });
    expect(destroyed).not.toHaveBeenCalled();
    // The quotas collector declared CloudWatch (its metrics) but, without them, never used it.
    collection.releaseClients(new Set(), { region: 'eu-west-1', operations: ['cloudwatch:GetMetricData', 'servicequotas:ListServiceQuotas'] });
    expect(destroyed).toHaveBeenCalledTimes(1);
  });

  it('a client on a shared request handler is dropped, not destroyed (the handler is its owner’s)', async () => {
    const handler = { handle: vi.fn(async () => ({ response: { statusCode: 200, headers: {}, body: undefined } })), destroy: vi.fn() };
    const factory = new ClientFactory({ credentials: creds, requestHandler: handler as never });
    const collection = make(factory);
    const held = new Set<string>();
    const client = collection.context('eu-west-1', 'a', held).client(LambdaClient);
    const destroyed = vi.spyOn(client, 'destroy');
    collection.releaseClients(held);
    expect(destroyed).not.toHaveBeenCalled();
    expect(handler.destroy).not.toHaveBeenCalled();
    expect(factory.get(LambdaClient, 'eu-west-1')).not.toBe(client);
  });
});
