import { Worker } from 'node:worker_threads';
const w = new Worker(new URL('./w.ts', import.meta.url));
w.on('message', (m) => { console.log('got', JSON.stringify(m)); w.terminate(); });
w.on('error', (e) => console.log('err', e.message));
