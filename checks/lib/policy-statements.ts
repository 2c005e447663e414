// Reading IAM-style policy documents (identity policies, trust policies, resource policies) in checks.
import type { PolicyDocument, PolicyStatement } from '../../src/model/index.js';

export function asList<T>(v: T | T[] | undefined | null): T[] {
  return v === undefined || v === null ? [] : Array.isArray(v) ? v : [v];
}

export function statementsOf(doc: PolicyDocument | null | undefined): PolicyStatement[] {
  return asList(doc?.Statement);
}

export function isAllow(st: PolicyStatement): boolean {
  return st.Effect === 'Allow';
}

/** Every principal of a statement as `Type:value` (`*` for the bare wildcard), e.g. `Service:sns.amazonaws.com`, `AWS:*`. */
export function principalsOf(st: PolicyStatement): string[] {
  const p = st.Principal;
  if (p === undefined) return [];
  if (p === '*') return ['*'];
  return Object.entries(p).flatMap(([type, values]) => asList(values).map((v) => `${type}:${v}`));
}

/** The `Service` principals of a statement. */
export function servicePrincipalsOf(st: PolicyStatement): string[] {
  const p = st.Principal;
  if (p === undefined || p === '*') return [];
  return Object.entries(p).filter(([type]) => type === 'Service').flatMap(([, v]) => asList(v));
}

/** True when the principal is everyone: `*` or `{"AWS": "*"}`. */
export function isWildcardPrincipal(principal: string): boolean {
  return principal === '*' || principal === 'AWS:*';
}

/** IAM wildcard match (`*` any run, `?` one character), case-insensitive as IAM actions are. */
export function globMatch(pattern: string, value: string, caseInsensitive = true): boolean {
  const key = `${caseInsensitive ? 'i' : 's'}${pattern}`;
  let re = patterns.get(key);
  if (!re) {
    re = new RegExp(`^${pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('')}$`, caseInsensitive ? 'is' : 's');
    // Compiled once per pattern: checks match the same few policy patterns against every function's ARNs and actions.
    if (patterns.size >= PATTERNS_KEPT) patterns.clear();
    patterns.set(key, re);
  }
  return re.test(value);
}

/** Compiled globMatch patterns (no `g` flag: a RegExp without it keeps no state between tests). */
const patterns = new Map<string, RegExp>();
const PATTERNS_KEPT = 10_000;

/** Does the statement's Action/NotAction cover `action`? */
export function coversAction(st: PolicyStatement, action: string): boolean {
  if (st.NotAction !== undefined) return !asList(st.NotAction).some((a) => globMatch(a, action));
  return asList(st.Action).some((a) => globMatch(a, action));
}

/** Does the statement's Resource/NotResource cover `arn`? ARNs match case-sensitively. */
export function coversResource(st: PolicyStatement, arn: string): boolean {
  if (st.NotResource !== undefined) return !asList(st.NotResource).some((r) => globMatch(r, arn, false));
  return asList(st.Resource).some((r) => globMatch(r, arn, false));
}

/** Condition keys that pin a public principal to a fixed caller, when their value has no wildcard. */
const PINNING_KEYS = new Set(['aws:sourceaccount', 'aws:sourceowner', 'aws:sourcearn', 'aws:principalorgid', 'aws:principalaccount', 'aws:principalarn', 'aws:sourceorgid']);

/** True when the statement has a condition that fixes who can use it (e.g. `aws:SourceAccount` = one account). */
export function hasPinningCondition(st: PolicyStatement): boolean {
  for (const [operator, block] of Object.entries(st.Condition ?? {})) {
    // IfExists operators do not pin (a request without the key passes them), nor do negations or Null.
    if (/IfExists$/i.test(operator) || /Not/i.test(operator) || /^Null$/i.test(operator)) continue;
    for (const [key, value] of Object.entries(block ?? {})) {
      if (!PINNING_KEYS.has(key.toLowerCase())) continue;
      const values = asList(value as string | string[]).map(String);
      if (values.length > 0 && values.every((v) => !v.includes('*') && !v.includes('?'))) return true;
    }
  }
  return false;
}
