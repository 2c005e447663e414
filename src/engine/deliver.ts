// After a run: send to Security Hub and post the Slack digest. Shared by the CLI and the Lambda finalize step.
// Never throws for AWS or Slack failures: they come back as error entries for the report.
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { ClientFactory, type ClientFactoryOptions } from '../aws/clients.js';
import { checkLookup, memberRoleArn, partitionOfRegion, type Check, type CollectionError } from '../model/index.js';
import { sendToSecurityHub } from '../sinks/security-hub.js';
import { postSlackDigest } from '../sinks/slack.js';
import type { PostedMarker } from '../state/posted-marker.js';
import type { FindingRecord } from '../state/store.js';
import { DEFAULT_ROLE_NAME, memberRoleCredentials } from './organization.js';
import { callerAccount } from './scope.js';
import type { AuditOutcome } from './run-audit.js';

/**
 * Security Hub Region of `global` findings (IAM roles, account-wide checks) when none is configured: one fixed Region
 * per partition, so that the order or set of `--regions` never moves (and duplicates) them.
 */
export const DEFAULT_GLOBAL_FINDINGS_REGION: Readonly<Record<string, string>> = { aws: 'us-east-1', 'aws-cn': 'cn-north-1', 'aws-us-gov': 'us-gov-west-1' };

export function globalFindingsRegion(partition: string | undefined, configured?: string): string {
  return configured ?? DEFAULT_GLOBAL_FINDINGS_REGION[partition ?? 'aws'] ?? 'us-east-1';
}

/**
 * The auditor account: the account of these credentials (sts:GetCallerIdentity). A live run knows it already
 * (AuditOutcome.auditor); a run over a saved inventory asks, for central mode.
 */
export async function auditorAccount(aws: ClientFactoryOptions, region: string): Promise<string> {
  const factory = new ClientFactory({ ...aws, counter: undefined });
  try {
    return (await callerAccount(factory, region)).accountId;
  } finally {
    factory.destroy();
  }
}

export interface SecurityHubDelivery {
  /** `member` (default): each account's findings are imported through that account's role; `central`: under the auditor's account. */
  mode: 'member' | 'central';
  /** Credentials of the auditor (the caller). */
  aws: ClientFactoryOptions;
  /** The auditor's account id (central mode, and to recognise the caller's own findings). Never empty. */
  callerAccountId: string;
  /** Member role (member mode) — the member role must then allow securityhub:BatchImportFindings. */
  roleName?: string;
  externalId?: string;
  /** Partition of the member roles (default: the home region's). */
  partition?: string;
  /** Region of `global` findings (globalFindingsRegion). */
  homeRegion: string;
}

export interface SlackDelivery {
  webhook: string;
  always?: boolean;
  reportUrl?: string;
  postedMarker: PostedMarker;
  aws?: ClientFactoryOptions;
  region?: string;
}

export interface DeliveryOutcome {
  errors: CollectionError[];
  securityHub?: { imported: number; archived: number; failed: number };
  slack?: string;
}

export async function deliver(outcome: AuditOutcome, checks: readonly Check[], opts: { securityHub?: SecurityHubDelivery; slack?: SlackDelivery; now?: Date }): Promise<DeliveryOutcome> {
  const errors: CollectionError[] = [];
  const out: DeliveryOutcome = { errors };
  const { report } = outcome;
  const resolved: FindingRecord[] = outcome.diff?.resolved ?? [];

  // Security Hub rejects a finding whose AwsAccountId is not the importing account: never send an empty one.
  if (opts.securityHub && !/^\d{12}$/.test(opts.securityHub.callerAccountId)) {
    errors.push({ accountId: '', region: opts.securityHub.homeRegion, service: 'securityhub', operation: 'BatchImportFindings', code: 'NoAuditorAccount', message: `nothing sent: the auditor account id is unknown (${JSON.stringify(opts.securityHub.callerAccountId)})` });
  } else if (opts.securityHub) {
    const sh = opts.securityHub;
    const factories = new Map<string, ClientFactory>();
    const factoryFor = (accountId: string): ClientFactory => {
      const key = sh.mode === 'central' || accountId === sh.callerAccountId ? 'caller' : accountId;
      let f = factories.get(key);
      if (!f) {
        const credentials =
          key === 'caller'
            ? sh.aws.credentials
            : memberRoleCredentials(memberRoleArn(sh.partition ?? partitionOfRegion(sh.homeRegion), accountId, sh.roleName ?? DEFAULT_ROLE_NAME), {
                externalId: sh.externalId, aws: sh.aws, region: sh.homeRegion,
              });
        f = new ClientFactory({ ...sh.aws, readOnly: false, counter: undefined, ...(credentials ? { credentials, profile: key === 'caller' ? sh.aws.profile : undefined } : {}) });
        factories.set(key, f);
      }
      return f;
    };
    try {
      const r = await sendToSecurityHub(
        { results: report.results, resolved },
        {
          now: opts.now ?? new Date(report.finishedAt),
          checkFor: checkLookup(checks),
          ...(sh.mode === 'central' ? { centralAccountId: sh.callerAccountId } : {}),
          globalRegion: sh.homeRegion,
          clientFor: (accountId, region) => factoryFor(accountId).get(SecurityHubClient, region),
        },
      );
      errors.push(...r.errors);
      out.securityHub = { imported: r.imported, archived: r.archived, failed: r.failed };
    } finally {
      for (const f of factories.values()) f.destroy();
    }
  }

  if (opts.slack) {
    const s = opts.slack;
    const newResults = report.results.filter((r) => r.history?.state === 'NEW');
    const posted = await postSlackDigest(
      { runId: report.runId, scope: report.scope, newResults, resolved, counts: report.summary, ...(s.reportUrl ? { reportUrl: s.reportUrl } : {}) },
      { webhook: s.webhook, postedMarker: s.postedMarker, slackAlways: s.always, secretRef: { region: s.region, aws: s.aws } },
    );
    errors.push(...posted.errors);
    out.slack = posted.status;
  }
  return out;
}
