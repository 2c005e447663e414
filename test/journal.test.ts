// The call journal (checkpoint of a Lambda scan step) and its wiring in the audit clients: answers replayed with
// their Dates and bytes, the same call in another key order is the same call, "not found" answers replayed as the
// same error, other errors never kept, nothing started once the deadline has passed.
import { GetPolicyCommand, LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { ClientFactory } from '../src/aws/clients.js';
import { errorCode, isNotFound } from '../src/aws/errors.js';
import { CallJournal, DeadlineReached, callKey, stableJson } from '../src/aws/journal.js';

const lambda = mockClient(LambdaClient);
afterAll(() => lambda.restore());
beforeEach(() => lambda.reset());

const FN = { FunctionName: 'api', FunctionArn: 'arn:aws:lambda:eu-west-1:111122223333:function:api', LastModified: '2026-05-01T10:00:00.000+0000', Runtime: 'nodejs22.x' as const };

describe('CallJournal', () => {
  it('keys a call by service, region, operation and input, whatever the order of the input keys', () => {
    expect(stableJson({ b: 1, a: { d: 2, c: [3, { f: 4, e: 5 }] } })).toBe('{"a":{"c":[3,{"e":5,"f":4}],"d":2},"b":1}');
    expect(callKey('lambda', 'eu-west-1', 'ListFunctions', { Marker: 'x', MaxItems: 50 })).toBe(callKey('lambda', 'eu-west-1', 'ListFunctions', { MaxItems: 50, Marker: 'x' }));
    expect(callKey('lambda', 'eu-west-1', 'ListFunctions', {})).not.toBe(callKey('lambda', 'us-east-1', 'ListFunctions', {}));
  });

  it('replays an answer with its Dates and bytes, as a fresh copy, across a save and load', () => {
    const j = new CallJournal();
    const at = new Date('2026-06-01T03:00:00.000Z');
    j.record('k', { Items: [{ CreationDateTime: at, Blob: new Uint8Array([1, 2, 3]) }], $metadata: { httpStatusCode: 200 } });
    const loaded = new CallJournal(JSON.parse(JSON.stringify(j.toJSON())));
    const first = loaded.replay('k') as { output: { Items: { CreationDateTime: Date; Blob: Uint8Array }[]; $metadata?: unknown } };
    expect(first.output.Items[0]!.CreationDateTime).toEqual(at);
    expect(first.output.Items[0]!.CreationDateTime).toBeInstanceOf(Date);
    expect([...first.output.Items[0]!.Blob]).toEqual([1, 2, 3]);
    expect(first.output.$metadata).toBeUndefined();
    first.output.Items.pop();
    expect((loaded.replay('k') as { output: { Items: unknown[] } }).output.Items).toHaveLength(1);
    expect(loaded.replay('other')).toBeUndefined();
    expect(loaded.replayed).toBe(2);
  });

  it('keeps "not found" answers and no other error', () => {
    const j = new CallJournal();
    j.recordError('nf', Object.assign(new Error('Function not found'), { name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 404 } }));
    j.recordError('denied', Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }));
    j.recordError('throttled', Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' }));
    expect(j.size).toBe(1);
    const hit = j.replay('nf') as { error: Error };
    expect(errorCode(hit.error)).toBe('ResourceNotFoundException');
    expect(isNotFound(hit.error)).toBe(true);
    expect(hit.error.message).toBe('Function not found');
  });
});

describe('audit clients with a journal', () => {
  it('answer a call already in the journal without calling AWS, and record the others', async () => {
    lambda.on(ListFunctionsCommand).resolves({ Functions: [FN] });
    lambda.on(GetPolicyCommand).rejects(Object.assign(new Error('The resource you requested does not exist.'), { name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 404 } }));
    const journal = new CallJournal();
    const first = new ClientFactory({ journal, pacing: false, credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' } });
    const c1 = first.get(LambdaClient, 'eu-west-1');
    expect((await c1.send(new ListFunctionsCommand({ MaxItems: 50 }))).Functions).toEqual([FN]);
    expect(errorCode(await c1.send(new GetPolicyCommand({ FunctionName: 'api' })).catch((e: unknown) => e))).toBe('ResourceNotFoundException');
    expect(first.counter.total()).toBe(2);
    expect(journal.recorded).toBe(2);

    // The next invocation: same calls, no AWS call; a call not in the journal goes to AWS.
    const next = new ClientFactory({ journal: new CallJournal(journal.toJSON()), pacing: false, credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' } });
    const c2 = next.get(LambdaClient, 'eu-west-1');
    expect((await c2.send(new ListFunctionsCommand({ MaxItems: 50 }))).Functions).toEqual([FN]);
    expect(errorCode(await c2.send(new GetPolicyCommand({ FunctionName: 'api' })).catch((e: unknown) => e))).toBe('ResourceNotFoundException');
    expect(next.counter.total()).toBe(0);
    expect(lambda.calls()).toHaveLength(2);
    await c2.send(new ListFunctionsCommand({ MaxItems: 50, Marker: 'page-2' }));
    expect(next.counter.total()).toBe(1);
    expect(lambda.calls()).toHaveLength(3);
  });

  it('start nothing once the deadline has passed', async () => {
    lambda.on(ListFunctionsCommand).resolves({ Functions: [FN] });
    const deadline = new AbortController();
    const f = new ClientFactory({ journal: new CallJournal(), signal: deadline.signal, pacing: false, credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' } });
    const c = f.get(LambdaClient, 'eu-west-1');
    await c.send(new ListFunctionsCommand({}));
    deadline.abort();
    await expect(c.send(new ListFunctionsCommand({ Marker: 'next' }))).rejects.toBeInstanceOf(DeadlineReached);
    expect(lambda.calls()).toHaveLength(1);
  });
});
