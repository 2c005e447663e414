// The check contract: metadata and a pure evaluate() over the inventory. No SDK imports.
import type { AnyResource, FieldOf, Kind, ResourceOf } from './resources.js';
import type { LensQuestion, LensQuestion2022, Pillar, Severity } from './taxonomy.js';

/** How a check is decided (catalogue.md §7): C = bulk list calls, E = per-resource calls, M = CloudWatch metrics. */
export type Cost = 'C' | 'E' | 'M';

export interface Peers {
  /**
   * Security Hub CSPM control ids covering the same ground, e.g. `Lambda.2` (src/model/cspm.ts lists them with titles).
   * `--skip-cspm-overlap` skips the check when one of them is enabled in a CSPM standard.
   */
  cspm?: string[];
  /** AWS Config managed rule identifiers. */
  config?: string[];
  /** awslabs/serverless-rules ids (cfn-lint), e.g. `ES1005`. */
  serverlessRules?: string[];
  /** Trusted Advisor check ids. */
  trustedAdvisor?: string[];
  /** Prowler check ids. */
  prowler?: string[];
}

export type CheckOptionValue = number | string | boolean | string[] | number[];
export type CheckOptions = Record<string, CheckOptionValue>;

/** What one evaluation of one resource produced. */
export interface Evaluation {
  status: 'PASS' | 'FAIL' | 'NOT_ASSESSED';
  message: string;
  evidence?: Record<string, unknown>;
  /** Overrides the check's severity for this result (e.g. a LOW "deprecation soon" variant). */
  severity?: Severity;
  /** Distinguishes several results of one check on one resource; part of the finding id. */
  subKey?: string;
  /** Reports the result under another ARN/name/kind (a method, route, account-region). */
  resource?: { arn?: string; name?: string; kind?: string };
}

export interface EvalContext<O extends CheckOptions = CheckOptions> {
  accountId: string;
  region: string;
  /** The options in force: defaults merged with the configuration file. */
  options: O;
  /** Evaluation time (fixed per run, so that date-dependent checks are reproducible). */
  now: Date;
  /**
   * Resources of another kind, in this region (default) or across all regions of the account.
   * The kind must be declared in the check's `needs`. Throws a gap error (the engine turns it into
   * NOT_ASSESSED) when that kind could not be listed in the scope.
   */
  list<K extends Kind>(kind: K, scope?: 'region' | 'account'): ResourceOf<K>[];
  /** A resource of the account by ARN (any region), if collected. Its kind must be in `needs`. */
  get(arn: string): AnyResource | undefined;
  pass(message: string, evidence?: Record<string, unknown>, extra?: Partial<Evaluation>): Evaluation;
  fail(message: string, evidence?: Record<string, unknown>, extra?: Partial<Evaluation>): Evaluation;
  notAssessed(reason: string, extra?: Partial<Evaluation>): Evaluation;
}

export interface Check<K extends Kind = Kind, O extends CheckOptions = CheckOptions> {
  /** Public, stable id from catalogue.md, e.g. `lambda.shared-role`. */
  id: string;
  title: string;
  /** Why it matters (one or two sentences). */
  description: string;
  severity: Severity;
  pillar: Pillar;
  /** Serverless Lens questions, November 2018 revision. */
  lens: LensQuestion[];
  /** Serverless Lens questions, July 2022 revision (the Well-Architected Tool's lens); empty when it has none for this ground. */
  lens2022: LensQuestion2022[];
  resourceKind: K;
  /**
   * For a check that applies to several kinds (e.g. REST and HTTP APIs under one id): every kind it evaluates.
   * `resourceKind` is then the first of them. Examples choose the kind with `resource.kind`.
   */
  resourceKinds?: readonly K[];
  /** Fields of the resource the check reads; a gap in any of them → NOT_ASSESSED. */
  uses: readonly FieldOf<K>[];
  /** Other resource kinds the check reads through ctx.list / ctx.get. */
  needs?: readonly Kind[];
  cost: Cost;
  /**
   * The verdict compares resources across the account's regions (`ctx.list(kind, 'account')`). In a run that does not
   * cover every region the history saw for the account, what reads the account-wide list is NOT_ASSESSED and none of
   * the check's findings in that account resolve (src/engine/evaluate.ts, src/state/diff.ts).
   */
  accountWide?: true;
  /** false for opt-in checks (enable them in the configuration or with --checks). Default true. */
  enabledByDefault?: boolean;
  remediation: { text: string; url: string };
  peers: Peers;
  /** Default options (thresholds); the configuration file may override each key, same type. */
  options?: O;
  /** Pure: no I/O, no clock other than ctx.now. Returns nothing when the check does not apply to the resource. */
  evaluate(resource: ResourceOf<K>, ctx: EvalContext<O>): Evaluation | Evaluation[] | undefined | void;
}

/** Every kind a check evaluates. */
export function kindsOf(check: { resourceKind: Kind; resourceKinds?: readonly Kind[] }): readonly Kind[] {
  return check.resourceKinds && check.resourceKinds.length > 0 ? check.resourceKinds : [check.resourceKind];
}

/** Identity function that keeps the literal types; every check file's default export goes through it. */
export function defineCheck<K extends Kind, O extends CheckOptions = CheckOptions>(check: Check<K, O>): Check<K, O> {
  return check;
}

type DeepPartial<T> = T extends (infer U)[] ? DeepPartial<U>[] : T extends object ? { [P in keyof T]?: DeepPartial<T[P]> } : T;

/** One example: the resource under test (merged over a default resource of the check's kind) plus its neighbours. */
export interface CheckExample<K extends Kind = Kind> {
  /** What the example shows, for test names. */
  name?: string;
  resource: DeepPartial<ResourceOf<K>> & { gaps?: AnyResource['gaps']; kind?: K };
  /** Other resources in the same account (any kind, any region). */
  others?: (DeepPartial<AnyResource> & { kind: Kind })[];
  /** Kinds that could not be listed in the example's region. */
  listGaps?: Kind[];
  options?: CheckOptions;
  /** Evaluation time; default 2026-06-01T00:00:00Z. */
  now?: string;
  /** Expected number of results when not 1. */
  count?: number;
  /** Expected severity of the (first) result, when it differs from the check's. */
  severity?: Severity;
}

/** Every check file exports examples: at least one of each. */
export interface CheckExamples<K extends Kind = Kind> {
  pass: CheckExample<K>[];
  fail: CheckExample<K>[];
  notAssessed: CheckExample<K>[];
}

/** A check by id, from a map built once: renderers and sinks ask once per result. */
export function checkLookup<C extends { id: string }>(checks: readonly C[]): (id: string) => C | undefined {
  const byId = new Map(checks.map((c) => [c.id, c] as const));
  return (id) => byId.get(id);
}
