// The file store (CLI default): one JSON file holding every account's findings and the recent runs.
// Written atomically (temp file in the same directory, fsync, rename), so a crash leaves the old or the new file,
// never half of one. A file that exists but cannot be read or parsed is an error: starting from an empty history
// would report everything NEW and lose firstSeen dates.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { SEVERITIES } from '../model/index.js';
import { writeFileAtomic } from './atomic-write.js';
import { lockFile, type FileLockOptions } from './file-lock.js';
import { DEFAULT_RETENTION_DAYS, RECENT_RUNS, StateError, isExpired, runSummary, type HistoryLock, type FindingDiff, type FindingRecord, type LoadScope, type RunRecord, type RunSummary, type StateStore } from './store.js';

export const DEFAULT_STATE_PATH = '.lens-audit/state.json';
export const STATE_FILE_VERSION = 1;
/** Run records kept in the file (the findings carry their own history). */
const MAX_RUNS = 100;

const recordSchema = z.object({
  findingId: z.string().min(1),
  checkId: z.string().min(1),
  title: z.string(),
  severity: z.enum(SEVERITIES),
  accountId: z.string(),
  region: z.string(),
  resourceArn: z.string(),
  resourceName: z.string(),
  resourceKind: z.string(),
  status: z.enum(['OPEN', 'RESOLVED']),
  firstSeen: z.string(),
  lastSeen: z.string(),
  resolvedAt: z.string().optional(),
  reopenedAt: z.string().optional(),
  suppressed: z.boolean().optional(),
  message: z.string(),
  lastRunId: z.string(),
  delivery: z
    .object({
      securityHub: z.object({ sentAt: z.string(), digest: z.string() }).optional(),
      securityHubArchivePending: z.literal(true).optional(),
      slackPending: z.literal(true).optional(),
    })
    .optional(),
});

const runSchema = z.object({
  runId: z.string(),
  startedAt: z.string(),
  finishedAt: z.string(),
  accounts: z.array(z.string()),
  regions: z.array(z.string()),
  counts: z.object({ new: z.number(), persisting: z.number(), resolved: z.number(), kept: z.number() }),
  failedScopes: z.array(z.object({ accountId: z.string(), region: z.string() })),
  openBySeverity: z.object(Object.fromEntries(SEVERITIES.map((s) => [s, z.number()])) as Record<(typeof SEVERITIES)[number], z.ZodNumber>).optional(),
});

const fileSchema = z.object({
  schemaVersion: z.literal(STATE_FILE_VERSION),
  updatedAt: z.string(),
  findings: z.array(recordSchema),
  runs: z.array(runSchema),
});
type StateFile = z.infer<typeof fileSchema>;

export interface FileStoreOptions {
  retentionDays?: number;
  /** The lock around a run's load → save (file-lock.ts). */
  lock?: FileLockOptions;
}

export class FileStore implements StateStore {
  readonly location: string;
  private readonly retentionDays: number;
  private readonly lockOptions: FileLockOptions;

  constructor(readonly path: string = DEFAULT_STATE_PATH, opts: FileStoreOptions = {}) {
    this.location = `file ${path}`;
    this.retentionDays = opts.retentionDays ?? DEFAULT_RETENTION_DAYS;
    this.lockOptions = opts.lock ?? {};
  }

  lock(runId: string): Promise<HistoryLock> {
    return lockFile(this.path, runId, this.lockOptions);
  }

  /** The whole file; undefined when it does not exist yet (first use). */
  private async read(): Promise<StateFile | undefined> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new StateError(`state file ${this.path} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      throw new StateError(`state file ${this.path} is not valid JSON (${(err as Error).message.split('\n')[0]}); fix or move it away, it is not reset automatically`);
    }
    const parsed = fileSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new StateError(`state file ${this.path} is not a lens-audit state file (${issue.path.join('.') || 'root'}: ${issue.message}); fix or move it away, it is not reset automatically`);
    }
    return parsed.data;
  }

  async load(scope: LoadScope): Promise<FindingRecord[]> {
    const file = await this.read();
    if (!file) return [];
    const accounts = new Set(scope.accountIds);
    return file.findings.filter((r) => accounts.has(r.accountId) && !isExpired(r, scope.now, this.retentionDays)) as FindingRecord[];
  }

  async save(diff: FindingDiff, run: RunRecord): Promise<void> {
    // Re-read so that findings of accounts outside this run survive; this run's accounts are replaced by diff.records.
    const current = await this.read();
    const accounts = new Set(run.accounts);
    const now = new Date(run.finishedAt);
    const others = (current?.findings ?? []).filter((r) => !accounts.has(r.accountId)) as FindingRecord[];
    const findings = [...others, ...diff.records.filter((r) => accounts.has(r.accountId))]
      .filter((r) => !isExpired(r, now, this.retentionDays))
      .sort((a, b) => (a.findingId < b.findingId ? -1 : a.findingId > b.findingId ? 1 : 0));
    const runs = [...(current?.runs ?? []).filter((r) => r.runId !== run.runId), run].slice(-MAX_RUNS);
    const file: StateFile = { schemaVersion: STATE_FILE_VERSION, updatedAt: run.finishedAt, findings, runs };
    await writeAtomic(this.path, JSON.stringify(file, null, 1) + '\n');
  }

  async recentRuns(n: number): Promise<RunSummary[]> {
    const file = await this.read();
    const take = Math.max(0, Math.min(n, RECENT_RUNS));
    return take === 0 ? [] : (file?.runs ?? []).slice(-take).map((run) => runSummary(run as RunRecord));
  }

  async saveDelivery(records: readonly FindingRecord[]): Promise<void> {
    if (records.length === 0) return;
    const current = await this.read();
    if (!current) return;
    const marks = new Map(records.map((r) => [r.findingId, r.delivery]));
    const findings = current.findings.map((r) => {
      if (!marks.has(r.findingId)) return r;
      const { delivery: _old, ...rest } = r;
      const d = marks.get(r.findingId);
      return d && Object.keys(d).length > 0 ? { ...rest, delivery: d } : rest;
    });
    await writeAtomic(this.path, JSON.stringify({ ...current, findings }, null, 1) + '\n');
  }
}

/** Write `text` to `path` atomically (atomic-write.ts); a failure is a StateError. */
export async function writeAtomic(path: string, text: string): Promise<void> {
  try {
    writeFileAtomic(path, text, { mode: 0o600 });
  } catch (err) {
    throw new StateError(`state file ${path} cannot be written (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}
