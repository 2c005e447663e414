// Development only: a worker thread whose entry is TypeScript (running under tsx or vitest) registers tsx in its own
// thread (Node 20's module hooks do not reach worker threads), then imports the entry. Built runs start dist/worker.js.
import { workerData } from 'node:worker_threads';

const { register } = await import('tsx/esm/api');
register();
await import(workerData.entry);
