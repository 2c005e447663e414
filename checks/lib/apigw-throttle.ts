// Whether an API Gateway stage throttles below the account: the one rule of apigw.rest.no-default-throttling and
// apigw.v2.no-default-throttling.
//
// API Gateway fills in limits itself: as soon as a REST stage has any stage-wide method setting (logging or metrics
// on "*/*"), GetStage returns methodSettings["*/*"] with throttlingBurstLimit/throttlingRateLimit equal to the
// account's limits for the region (GetAccount throttleSettings: burst 5000, rate 10000 unless raised; lower in
// Regions opened since 2020). Such a stage has no throttle of its own: only limits below the account's throttle it.
import type { EvalContext } from '../../src/model/index.js';

/** A limit counts when present and not negative (-1 turns throttling off for a method). */
export const limitSet = (n: number | undefined): n is number => n !== undefined && n >= 0;

export type AccountThrottle =
  | { known: true; rateLimit: number; burstLimit: number }
  | { known: false; why: string };

/** The region's account-level throttle (`apigateway:GetAccount` → throttleSettings), or why it is unknown. */
export function accountThrottle(ctx: EvalContext): AccountThrottle {
  const region = ctx.list('AwsAccountRegion')[0];
  const gap = region?.gaps?.ApiGatewayAccount;
  if (gap) return { known: false, why: `the account throttle is unknown: ${gap.operation} failed: ${gap.code}` };
  const t = region?.ApiGatewayAccount?.throttleSettings;
  if (!region?.ApiGatewayAccount) return { known: false, why: 'the account throttle (apigateway:GetAccount) was not collected' };
  if (!limitSet(t?.rateLimit) || !limitSet(t?.burstLimit)) return { known: false, why: 'apigateway:GetAccount returned no throttleSettings' };
  return { known: true, rateLimit: t.rateLimit, burstLimit: t.burstLimit };
}

export type StageThrottle =
  /** No rate and burst on the stage: only the account limit applies. */
  | { kind: 'none' }
  /** Rate and burst below the account's (at least one of them): the stage's own throttle. */
  | { kind: 'own'; rateLimit: number; burstLimit: number }
  /** Rate and burst at or above the account's: what API Gateway fills in; no throttle of the stage's own. */
  | { kind: 'account'; rateLimit: number; burstLimit: number; account: { rateLimit: number; burstLimit: number } }
  /** Rate and burst present, but the account's are unknown: cannot tell an own limit from a filled-in one. */
  | { kind: 'unknown'; rateLimit: number; burstLimit: number; why: string };

/** Classify a stage's default rate/burst against the account throttle. */
export function stageThrottle(rateLimit: number | undefined, burstLimit: number | undefined, account: () => AccountThrottle): StageThrottle {
  if (!limitSet(rateLimit) || !limitSet(burstLimit)) return { kind: 'none' };
  const a = account();
  if (!a.known) return { kind: 'unknown', rateLimit, burstLimit, why: a.why };
  if (rateLimit < a.rateLimit || burstLimit < a.burstLimit) return { kind: 'own', rateLimit, burstLimit };
  return { kind: 'account', rateLimit, burstLimit, account: { rateLimit: a.rateLimit, burstLimit: a.burstLimit } };
}

/** Why a stage whose limits are the account's does not count. */
export function accountLevelText(t: { rateLimit: number; burstLimit: number; account: { rateLimit: number; burstLimit: number } }): string {
  return `its default limits (${t.rateLimit} requests/s, burst ${t.burstLimit}) are not below the account's (${t.account.rateLimit} requests/s, ` +
    `burst ${t.account.burstLimit}): API Gateway reports the account limits there itself`;
}
