import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../../checks/index.js';
import { MEMBER_ROLE_FILE, memberRoleTemplate } from '../../deploy/lib/member-role.js';
import { DEFAULT_ROLE_NAME } from '../../src/engine/organization.js';
import { APIGATEWAY_GET_PATHS, apiGatewayGetResources, requiredActions, requiredPolicy } from '../../src/engine/permissions.js';

const text = readFileSync(new URL(`../../${MEMBER_ROLE_FILE}`, import.meta.url), 'utf8');

describe('deploy/member-role.yaml', () => {
  it('is what scripts/gen-member-role.ts generates (run `npx tsx scripts/gen-member-role.ts` after changing a collector)', () => {
    expect(text).toBe(memberRoleTemplate());
  });

  it('grants exactly the collectors\' read actions, apigateway:GET only on the listed paths', () => {
    const role = parse(text).Resources.LensAuditReadOnlyRole.Properties;
    const [policy] = role.Policies as { PolicyDocument: { Statement: { Effect: string; Action: string[]; Resource: string | string[] }[] } }[];
    const statements = policy!.PolicyDocument.Statement;
    const all = requiredActions(ALL_CHECKS, { metrics: true });
    expect(statements.flatMap((s) => s.Action).sort()).toEqual(all);
    expect(statements.every((s) => s.Effect === 'Allow' && s.Action.every((a) => a !== '*' && !a.endsWith(':*')))).toBe(true);
    const apigw = statements.find((s) => s.Action.includes('apigateway:GET'))!;
    expect(apigw).toMatchObject({ Action: ['apigateway:GET'], Resource: APIGATEWAY_GET_PATHS.map((p) => ({ 'Fn::Sub': `arn:\${AWS::Partition}:apigateway:*::${p}` })) });
  });

  it('trusts only the scanner role of the auditor account, with the external id', () => {
    const doc = parse(text);
    expect(doc.Parameters.RoleName.Default).toBe(DEFAULT_ROLE_NAME);
    const [trust] = doc.Resources.LensAuditReadOnlyRole.Properties.AssumeRolePolicyDocument.Statement;
    expect(trust).toEqual({
      Sid: 'LensAuditScanner',
      Effect: 'Allow',
      Principal: { AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AuditorAccountId}:root' } },
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'sts:ExternalId': { Ref: 'ExternalId' } }, ArnEquals: { 'aws:PrincipalArn': { Ref: 'ScannerRoleArn' } } },
    });
    expect(doc.AWSTemplateFormatVersion).toBe('2010-09-09');
  });

  it('trusts the listed further principals (people, CI) only with the same external id, and none by default', () => {
    const doc = parse(text);
    expect(doc.Parameters.TrustedPrincipalArns).toMatchObject({ Type: 'CommaDelimitedList', Default: '' });
    // An empty list joins to '': the condition is false and the statement is left out (AWS::NoValue).
    expect(doc.Conditions.HasTrustedPrincipals).toEqual({ 'Fn::Not': [{ 'Fn::Equals': [{ 'Fn::Join': ['', { Ref: 'TrustedPrincipalArns' }] }, ''] }] });
    const statements = doc.Resources.LensAuditReadOnlyRole.Properties.AssumeRolePolicyDocument.Statement;
    expect(statements).toHaveLength(2);
    expect(statements[1]).toEqual({
      'Fn::If': ['HasTrustedPrincipals', {
        Sid: 'LensAuditTrustedPrincipals', Effect: 'Allow', Principal: { AWS: { Ref: 'TrustedPrincipalArns' } }, Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'sts:ExternalId': { Ref: 'ExternalId' } } },
      }, { Ref: 'AWS::NoValue' }],
    });
  });

  it('names no partition: every ARN is built from ${AWS::Partition} (aws-cn, aws-us-gov), none hard-codes arn:aws: (issue 20 point 10, D18)', () => {
    // Outside comments and descriptions: AllowedPattern is `arn:aws[a-z-]*:`, every partition.
    const doc = parse(text);
    expect(JSON.stringify(doc)).not.toMatch(/arn:aws:/);
    const resources = doc.Resources.LensAuditReadOnlyRole.Properties.Policies[0].PolicyDocument.Statement.flatMap((s: { Resource: unknown }) => [s.Resource].flat());
    for (const r of resources) expect(r === '*' || (typeof r === 'object' && /^arn:\$\{AWS::Partition\}:/.test((r as { 'Fn::Sub': string })['Fn::Sub'])), JSON.stringify(r)).toBe(true);
  });
});

describe('requiredPolicy (audit permissions): the partition is a parameter', () => {
  const arns = (partition?: string) => JSON.stringify(requiredPolicy(ALL_CHECKS, { metrics: true, ...(partition ? { partition } : {}) })).match(/arn:[^:"]*:/g) ?? [];
  it('aws by default', () => {
    expect(arns().length).toBe(APIGATEWAY_GET_PATHS.length);
    expect(new Set(arns())).toEqual(new Set(['arn:aws:']));
  });
  it.each(['aws-cn', 'aws-us-gov', 'aws-iso'])('%s: every ARN in that partition, none in aws', (partition) => {
    expect(new Set(arns(partition))).toEqual(new Set([`arn:${partition}:`]));
    expect(apiGatewayGetResources(partition)).toContain(`arn:${partition}:apigateway:*::/restapis/*`);
  });
});
