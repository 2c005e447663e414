// The collect context's own parts (src/collect/context.ts): eachAtMost, and the clients an account's collectors hand
// back when they end.
import { LambdaClient } from '@aws-sdk/client-lambda';
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
    const a = new Set<string>();
    const b = new Set<string>();
    const lambdaA = collection.context('eu-west-1', 'a', a).client(LambdaClient);
    const lambdaB = collection.context('eu-west-1', 'b', b).client(LambdaClient);
    const sns = collection.context('eu-west-1', 'b', b).client(SNSClient);
    expect(lambdaB).toBe(lambdaA);
    const destroyed = vi.spyOn(lambdaA, 'destroy');
    collection.releaseClients(a);
    expect(factory.get(LambdaClient, 'eu-west-1')).toBe(lambdaA);
    expect(destroyed).not.toHaveBeenCalled();
    collection.releaseClients(b);
    // Its own sockets are closed with it; the next collector gets a new client.
    expect(destroyed).toHaveBeenCalledTimes(1);
    const again = collection.context('eu-west-1', 'c', new Set()).client(LambdaClient);
    expect(again).not.toBe(lambdaA);
    expect(factory.get(SNSClient, 'eu-west-1')).not.toBe(sns);
    // A context given no set (the account-region pseudo-resources, other stages) hands nothing back.
    const plain = collection.context('eu-west-1').client(LambdaClient);
    expect(plain).toBe(again);
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
    collection.releaseClients(later, { region: 'global', operations: ['iam:ListRoles'] });
    expect(factory.get(IAMClient, 'eu-west-1')).not.toBe(iam);
    // Another region's collectors do not hold this region's clients.
    const sns = new Set<string>();
    const topics = collection.context('eu-west-1', 'sns', sns).client(SNSClient);
    collection.releaseClients(sns, { region: 'eu-west-1', operations: ['sns:ListTopics'] });
    expect(factory.get(SNSClient, 'eu-west-1')).not.toBe(topics);
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
