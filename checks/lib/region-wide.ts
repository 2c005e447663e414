// Helpers for checks whose resource is the account-region and that report one result per resource of other kinds.
import type { EvalContext, Evaluation, Kind, ListGap, ResourceOf } from '../../src/model/index.js';

/**
 * Resources of `kind` in the region, or a NOT_ASSESSED result (reported under the scope that could not be listed,
 * sub-keyed by kind) when the kind could not be listed.
 */
export function listOrNotAssessed<K extends Kind>(ctx: EvalContext, kind: K): { resources: ResourceOf<K>[] } | { notAssessed: Evaluation } {
  try {
    return { resources: ctx.list(kind) };
  } catch (err) {
    const gap = (err as { gap?: ListGap }).gap;
    if (!gap) throw err;
    return {
      notAssessed: ctx.notAssessed(`${kind} could not be listed: ${gap.operation} failed: ${gap.code}`, {
        subKey: kind,
        resource: { arn: gap.scopeArn, name: gap.scopeName ?? gap.scopeArn, kind },
      }),
    };
  }
}

/** Report an evaluation under another resource (ARN, name, kind). */
export function about(ev: Evaluation, r: { arn: string; name: string; kind: string }): Evaluation {
  return { ...ev, resource: { arn: r.arn, name: r.name, kind: r.kind } };
}
