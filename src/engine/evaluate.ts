// Evaluate checks over an account's inventory: pure, no AWS calls.
import type {
  AccountInventory, AnyResource, Check, CheckOptions, EvalContext, Evaluation, Gap, Kind, ListGap,
  RegionInventory, ResourceOf, Result,
} from '../model/index.js';
import { accountArn, kindsOf } from '../model/index.js';
import { findingId } from './finding-id.js';

/** Thrown by ctx.list when the kind could not be listed; becomes NOT_ASSESSED. */
export class GapError extends Error {
  constructor(readonly gap: ListGap, message?: string) {
    super(message ?? `${gap.kind} could not be listed (${gap.operation}: ${gap.code})`);
  }
}

export interface EvaluateOptions {
  /** Per-check options from the configuration, merged over the check's defaults. */
  checkOptions?: Record<string, CheckOptions>;
  now?: Date;
  /**
   * Regions an earlier run covered for this account that this run does not (src/engine/history.ts regionsBefore):
   * an account-wide check's read of the account-wide list is then NOT_ASSESSED, naming them.
   */
  missingRegions?: readonly string[];
  /** Test hook: called when a check reads a resource field or kind it did not declare. */
  onUndeclaredRead?: (checkId: string, what: string) => void;
}

export function describeGap(g: Gap): string {
  return `${g.operation} failed: ${g.code}${g.message ? ` (${g.message})` : ''}`;
}

/** Index of an account inventory for lookups by kind, region and ARN. */
export class AccountIndex {
  private byArn = new Map<string, AnyResource>();
  constructor(readonly account: AccountInventory) {
    for (const r of account.regions) for (const list of Object.values(r.resources)) for (const res of list ?? []) this.byArn.set(res.arn, res as AnyResource);
  }
  region(name: string): RegionInventory | undefined {
    return this.account.regions.find((r) => r.region === name);
  }
  private lists = new Map<string, { resources: readonly AnyResource[]; gaps: ListGap[] }>();
  /**
   * Resources of `kind` in a region (or the whole account) and the gaps that hide some. Built once per (kind, scope)
   * and shared by every check and resource that asks (checks ask per resource: a copy each time would make evaluation
   * quadratic); frozen, so a check that sorts or changes it fails loudly instead of corrupting the others.
   */
  list<K extends Kind>(kind: K, region: string | 'account'): { resources: ResourceOf<K>[]; gaps: ListGap[] } {
    const key = `${kind}|${region}`;
    let hit = this.lists.get(key);
    if (!hit) {
      const regions = region === 'account' ? this.account.regions : this.account.regions.filter((r) => r.region === region);
      const resources: AnyResource[] = [];
      const gaps: ListGap[] = [];
      for (const r of regions) {
        for (const res of (r.resources[kind] ?? []) as AnyResource[]) resources.push(res);
        for (const g of r.listGaps) if (g.kind === kind) gaps.push(g);
      }
      this.lists.set(key, (hit = { resources: Object.freeze(resources), gaps }));
    }
    return hit as unknown as { resources: ResourceOf<K>[]; gaps: ListGap[] };
  }
  get(arn: string): AnyResource | undefined {
    return this.byArn.get(arn);
  }
}

function guardFields<T extends object>(resource: T, allowed: Set<string>, report: (field: string) => void): T {
  const base = new Set(['kind', 'arn', 'name', 'accountId', 'region', 'gaps']);
  return new Proxy(resource, {
    get(target, prop, receiver) {
      if (typeof prop === 'string' && !base.has(prop) && !allowed.has(prop) && prop !== 'toJSON' && prop !== 'then') report(prop);
      return Reflect.get(target, prop, receiver);
    },
  });
}

/** What an account-wide check reads when the run left out regions an earlier run covered. */
export function missingRegionsGap(kind: Kind, partition: string, accountId: string, regions: readonly string[]): ListGap {
  return {
    kind,
    scopeArn: accountArn(partition, accountId),
    operation: 'lens-audit:regions',
    code: 'RegionsNotInRun',
    message: `compares across the account's regions, and this run did not cover ${regions.join(', ')} (covered by an earlier run)`,
  };
}

/** Evaluate one check against every resource of its kind in one account. */
export function evaluateCheck(check: Check, index: AccountIndex, opts: EvaluateOptions = {}): Result[] {
  const results: Result[] = [];
  const accountId = index.account.accountId;
  const options = { ...(check.options ?? {}), ...(opts.checkOptions?.[check.id] ?? {}) } as CheckOptions;
  const now = opts.now ?? new Date();
  const needs = new Set<Kind>(check.needs ?? []);
  const uses = new Set<string>(check.uses as readonly string[]);
  const kinds = kindsOf(check);

  const emit = (resource: { arn: string; name: string; kind: string; region: string }, ev: Evaluation) => {
    const arn = ev.resource?.arn ?? resource.arn;
    results.push({
      findingId: findingId(check.id, accountId, resource.region, arn, ev.subKey),
      checkId: check.id,
      title: check.title,
      status: ev.status,
      severity: ev.severity ?? check.severity,
      pillar: check.pillar,
      lens: check.lens,
      lens2022: check.lens2022,
      accountId,
      region: resource.region,
      resourceKind: ev.resource?.kind ?? resource.kind,
      resourceArn: arn,
      resourceName: ev.resource?.name ?? resource.name,
      message: ev.message,
      ...(ev.evidence ? { evidence: ev.evidence } : {}),
    });
  };

  for (const regionInv of index.account.regions) {
    const region = regionInv.region;
    // Resources of this kind that could not be listed: one NOT_ASSESSED per gap scope.
    for (const g of regionInv.listGaps) {
      if (!kinds.includes(g.kind)) continue;
      emit(
        { arn: g.scopeArn, name: g.scopeName ?? g.scopeArn, kind: g.kind, region },
        { status: 'NOT_ASSESSED', message: `Not assessed: ${describeGap(g)}` },
      );
    }
    // One context per region: nothing in it depends on the resource (a context per resource was 6 closures each).
    // Frozen, so that a check cannot leave something on it for the next resource.
    const ctx: EvalContext = Object.freeze({
      accountId,
      region,
      options,
      now,
      list(kind, scope = 'region') {
        if (!needs.has(kind)) opts.onUndeclaredRead?.(check.id, `kind ${kind}`);
        const { resources: found, gaps } = index.list(kind, scope === 'account' ? 'account' : region);
        if (gaps.length > 0) throw new GapError(gaps[0]!);
        if (scope === 'account' && check.accountWide && opts.missingRegions?.length) {
          const gap = missingRegionsGap(kind, index.account.partition, accountId, opts.missingRegions);
          throw new GapError(gap, `${kind}: ${gap.message}`);
        }
        return found;
      },
      get(arn) {
        const r = index.get(arn);
        if (r && !needs.has(r.kind)) opts.onUndeclaredRead?.(check.id, `kind ${r.kind}`);
        return r;
      },
      pass: (message, evidence, extra) => ({ ...extra, status: 'PASS', message, ...(evidence ? { evidence } : {}) }),
      fail: (message, evidence, extra) => ({ ...extra, status: 'FAIL', message, ...(evidence ? { evidence } : {}) }),
      notAssessed: (message, extra) => ({ ...extra, status: 'NOT_ASSESSED', message }),
    } satisfies EvalContext);
    const resources = kinds.flatMap((k) => (regionInv.resources[k] ?? []) as AnyResource[]);
    for (const resource of resources) {
      let fieldGaps: Gap[] | undefined;
      for (const f of check.uses as readonly string[]) {
        const g = resource.gaps?.[f];
        if (g !== undefined) (fieldGaps ??= []).push(g);
      }
      if (fieldGaps) {
        emit(resource, { status: 'NOT_ASSESSED', message: `Not assessed: ${fieldGaps.map(describeGap).join('; ')}` });
        continue;
      }
      const subject = opts.onUndeclaredRead
        ? guardFields(resource, uses, (field) => opts.onUndeclaredRead!(check.id, `field ${field}`))
        : resource;
      let out: Evaluation | Evaluation[] | undefined | void;
      try {
        out = (check.evaluate as (r: AnyResource, c: EvalContext) => typeof out)(subject, ctx);
      } catch (err) {
        const reason = err instanceof GapError ? `Not assessed: ${err.gap.code === 'RegionsNotInRun' ? err.message : describeGap(err.gap)}` : `Not assessed: evaluation failed: ${(err as Error).message}`;
        out = { status: 'NOT_ASSESSED', message: reason };
      }
      if (!out) continue;
      for (const ev of Array.isArray(out) ? out : [out]) emit(resource, ev);
    }
  }
  return results;
}

/** Evaluate every check over one account. */
export function evaluateAccount(checks: readonly Check[], account: AccountInventory, opts: EvaluateOptions = {}): Result[] {
  const index = new AccountIndex(account);
  return checks.flatMap((c) => evaluateCheck(c, index, opts));
}

