// The worker-thread entry of a sharded scan (engine/workers.ts): an entry point like the CLI's and the Lambda's, the
// only places that import the check registry; the engine selects the run's checks from it by id.
import { ALL_CHECKS } from '../checks/index.js';
import { serveScanWorker } from './engine/scan-worker.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
await serveScanWorker(ALL_CHECKS);
