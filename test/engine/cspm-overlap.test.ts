import { DescribeStandardsControlsCommand, GetEnabledStandardsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../../checks/index.js';
import { enabledCspmControls, parseCspmControls, splitCspmOverlap } from '../../src/engine/cspm-overlap.js';

const FSBP = 'arn:aws:securityhub:us-east-1:111122223333:subscription/aws-foundational-security-best-practices/v/1.0.0';
const CIS = 'arn:aws:securityhub:us-east-1:111122223333:subscription/cis-aws-foundations-benchmark/v/1.2.0';
const PCI = 'arn:aws:securityhub:us-east-1:111122223333:subscription/pci-dss/v/3.2.1';

describe('enabledCspmControls', () => {
  it('reads every page of the READY/INCOMPLETE subscriptions and keeps the ENABLED controls', async () => {
    const sh = mockClient(SecurityHubClient);
    sh.on(GetEnabledStandardsCommand).callsFake((input: { NextToken?: string }) =>
      input.NextToken
        ? { StandardsSubscriptions: [{ StandardsSubscriptionArn: PCI, StandardsArn: 'arn:aws:securityhub:us-east-1::standards/pci-dss/v/3.2.1', StandardsInput: {}, StandardsStatus: 'DELETING' }] }
        : {
            StandardsSubscriptions: [
              { StandardsSubscriptionArn: FSBP, StandardsArn: 'arn:aws:securityhub:us-east-1::standards/aws-foundational-security-best-practices/v/1.0.0', StandardsInput: {}, StandardsStatus: 'READY' },
              { StandardsSubscriptionArn: CIS, StandardsArn: 'arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0', StandardsInput: {}, StandardsStatus: 'INCOMPLETE' },
            ],
            NextToken: 'p2',
          },
    );
    const control = (id: string, status: 'ENABLED' | 'DISABLED') => ({
      StandardsControlArn: `arn:aws:securityhub:us-east-1:111122223333:control/aws-foundational-security-best-practices/v/1.0.0/${id}`,
      ControlStatus: status, ControlId: id, Title: id, SeverityRating: 'MEDIUM' as const, ControlStatusUpdatedAt: new Date('2026-01-01T00:00:00Z'),
    });
    sh.on(DescribeStandardsControlsCommand, { StandardsSubscriptionArn: FSBP }).callsFake((input: { NextToken?: string }) =>
      input.NextToken ? { Controls: [control('Lambda.2', 'ENABLED'), control('SNS.1', 'DISABLED')] } : { Controls: [control('Lambda.1', 'ENABLED')], NextToken: 'c2' },
    );
    sh.on(DescribeStandardsControlsCommand, { StandardsSubscriptionArn: CIS }).resolves({ Controls: [control('1.1', 'ENABLED')] });
    const enabled = await enabledCspmControls(sh as unknown as SecurityHubClient);
    expect([...enabled].sort()).toEqual(['1.1', 'Lambda.1', 'Lambda.2']);
    expect(sh.commandCalls(DescribeStandardsControlsCommand).map((c) => c.args[0].input.StandardsSubscriptionArn)).toEqual([FSBP, FSBP, CIS]);
  });
});

describe('splitCspmOverlap', () => {
  it('skips a check only when every live control it names is enabled; retired controls never count', () => {
    const { keep, skipped } = splitCspmOverlap(ALL_CHECKS, new Set(['Lambda.1', 'Lambda.6', 'DynamoDB.5', 'SNS.2']));
    expect(skipped.map((s) => s.check.id)).toEqual(['lambda.public-resource-policy']);
    expect(keep).toHaveLength(ALL_CHECKS.length - 1);
    // tags.missing also needs Kinesis.2 and SNS.3; sns.no-delivery-status-logging names only the retired SNS.2.
    expect(keep.map((c) => c.id)).toEqual(expect.arrayContaining(['tags.missing', 'sns.no-delivery-status-logging', 'lambda.shared-role']));
    const all = splitCspmOverlap(ALL_CHECKS, new Set(['Lambda.6', 'DynamoDB.5', 'Kinesis.2', 'SNS.3']));
    expect(all.skipped.map((s) => s.check.id)).toEqual(['tags.missing']);
  });

  it('an unknown control id in an explicit list is an error', () => {
    expect(() => parseCspmControls(['Lambda.1', 'Lamda.2'])).toThrow(/unknown CSPM control Lamda.2/);
    expect([...parseCspmControls(['SNS.1'])]).toEqual(['SNS.1']);
  });
});
