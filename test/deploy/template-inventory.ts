// The inventory lens-audit would collect from an account where the synthesized auditor stack is deployed: the
// template's resources with their intrinsic functions resolved to the names and ARNs CloudFormation would give them,
// in the field shapes the collectors produce. Used to audit our own stack with the real checks.
import type { AccountInventory, AnyResource, PolicyDocument } from '../../src/model/index.js';
import { profileEnvironment, profileText } from '../../src/collect/redact.js';

type Cfn = { Type: string; Properties: Record<string, any> };

export function templateInventory(template: { Resources: Record<string, Cfn> }, o: { stackName: string; accountId: string; region: string }): AccountInventory {
  const { accountId, region, stackName } = o;
  const res = template.Resources;
  // Names CloudFormation generates for resources without an explicit one: STACK-LOGICALID-SUFFIX.
  const generated = (id: string) => `${stackName}-${id}-1A2B3C4D5E6F`;
  const names: Record<string, { ref: string; arn: string }> = {};
  for (const [id, r] of Object.entries(res)) {
    const p = r.Properties ?? {};
    switch (r.Type) {
      case 'AWS::Lambda::Function': {
        const name = p.FunctionName ?? generated(id);
        names[id] = { ref: name, arn: `arn:aws:lambda:${region}:${accountId}:function:${name}` };
        break;
      }
      case 'AWS::IAM::Role': {
        const name = p.RoleName ?? generated(id);
        names[id] = { ref: name, arn: `arn:aws:iam::${accountId}:role/${name}` };
        break;
      }
      case 'AWS::Logs::LogGroup': {
        const name = p.LogGroupName ?? generated(id);
        // GetAtt Arn of a log group ends in :*.
        names[id] = { ref: name, arn: `arn:aws:logs:${region}:${accountId}:log-group:${name}:*` };
        break;
      }
      case 'AWS::DynamoDB::Table': {
        const name = p.TableName ?? generated(id);
        names[id] = { ref: name, arn: `arn:aws:dynamodb:${region}:${accountId}:table/${name}` };
        break;
      }
      case 'AWS::SNS::Topic': {
        const arn = `arn:aws:sns:${region}:${accountId}:${p.TopicName ?? generated(id)}`;
        names[id] = { ref: arn, arn };
        break;
      }
      case 'AWS::SQS::Queue': {
        const name = p.QueueName ?? generated(id);
        names[id] = { ref: `https://sqs.${region}.amazonaws.com/${accountId}/${name}`, arn: `arn:aws:sqs:${region}:${accountId}:${name}` };
        break;
      }
      case 'AWS::KMS::Key': {
        const arn = `arn:aws:kms:${region}:${accountId}:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0`;
        names[id] = { ref: arn.split('/')[1]!, arn };
        break;
      }
      case 'AWS::SecretsManager::Secret': {
        const arn = `arn:aws:secretsmanager:${region}:${accountId}:secret:${p.Name ?? generated(id)}-AbCdEf`;
        names[id] = { ref: arn, arn };
        break;
      }
      case 'AWS::Lambda::LayerVersion': {
        const arn = `arn:aws:lambda:${region}:${accountId}:layer:${generated(id)}:1`;
        names[id] = { ref: arn, arn };
        break;
      }
      case 'AWS::StepFunctions::StateMachine': {
        const arn = `arn:aws:states:${region}:${accountId}:stateMachine:${generated(id)}`;
        names[id] = { ref: arn, arn };
        break;
      }
      default:
        names[id] = { ref: generated(id), arn: `arn:aws:cloudformation:${region}:${accountId}:resource/${id}` };
    }
  }
  const pseudo: Record<string, string> = { 'AWS::Partition': 'aws', 'AWS::Region': region, 'AWS::AccountId': accountId, 'AWS::URLSuffix': 'amazonaws.com', 'AWS::StackName': stackName };
  const resolve = (v: any): any => {
    if (Array.isArray(v)) return v.map(resolve);
    if (v && typeof v === 'object') {
      if ('Ref' in v) return pseudo[v.Ref] ?? names[v.Ref]?.ref ?? fail(`Ref ${v.Ref}`);
      if ('Fn::GetAtt' in v) {
        const [id, attr] = v['Fn::GetAtt'] as [string, string];
        if (attr === 'Arn') return names[id]?.arn ?? fail(`GetAtt ${id}.Arn`);
        if (attr === 'QueueName' && res[id]?.Type === 'AWS::SQS::Queue') return names[id]!.arn.split(':').pop();
        return fail(`GetAtt ${id}.${attr}`);
      }
      if ('Fn::Join' in v) {
        const [sep, parts] = v['Fn::Join'] as [string, unknown[]];
        return (resolve(parts) as string[]).join(sep);
      }
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolve(x)]));
    }
    return v;
  };
  const of = (type: string) => Object.entries(res).filter(([, r]) => r.Type === type).map(([id, r]) => ({ id, p: resolve(r.Properties ?? {}) as Record<string, any> }));
  const base = (kind: string, arn: string, name: string, r = region) => ({ kind, arn, name, accountId, region: r, tags: {} });

  const regional: AnyResource[] = [];
  const global: AnyResource[] = [];
  const permissions = new Set(of('AWS::Lambda::Permission').map(({ p }) => p.FunctionName as string));
  const invokeConfigs = of('AWS::Lambda::EventInvokeConfig');
  for (const { id, p } of of('AWS::Lambda::Function')) {
    const { ref: name, arn } = names[id]!;
    if (permissions.has(name) || permissions.has(arn)) throw new Error(`function ${id} has a resource policy: model it`);
    regional.push({
      ...base('AwsLambdaFunction', arn, name),
      FunctionName: name, FunctionArn: arn, Runtime: p.Runtime, Role: p.Role, Handler: p.Handler, Description: profileText(p.Description),
      Timeout: p.Timeout ?? 3, MemorySize: p.MemorySize ?? 128, PackageType: 'Zip', Architectures: p.Architectures ?? ['x86_64'],
      TracingConfig: { Mode: p.TracingConfig?.Mode ?? 'PassThrough' },
      ...(p.DeadLetterConfig ? { DeadLetterConfig: { TargetArn: p.DeadLetterConfig.TargetArn } } : {}),
      ...(p.Environment ? { Environment: { Variables: profileEnvironment(p.Environment.Variables) } } : {}),
      ...(p.Layers ? { Layers: (p.Layers as string[]).map((Arn) => ({ Arn })) } : {}),
      LoggingConfig: { LogFormat: p.LoggingConfig?.LogFormat ?? 'Text', ...(p.LoggingConfig?.LogGroup ? { LogGroup: p.LoggingConfig.LogGroup } : {}) },
      ...(p.VpcConfig ? { VpcConfig: p.VpcConfig } : {}),
      Policy: null,
      FunctionUrlConfigs: [],
      FunctionEventInvokeConfigs: invokeConfigs.filter((c) => c.p.FunctionName === name).map((c) => ({ FunctionArn: arn, ...c.p })),
      ReservedConcurrentExecutions: p.ReservedConcurrentExecutions ?? null,
    } as unknown as AnyResource);
  }
  const policies = of('AWS::IAM::Policy');
  for (const { id, p } of of('AWS::IAM::Role')) {
    const { ref: name, arn } = names[id]!;
    const inline = [
      ...((p.Policies ?? []) as { PolicyName: string; PolicyDocument: PolicyDocument }[]),
      ...policies.filter((x) => (x.p.Roles as string[]).includes(name)).map((x) => ({ PolicyName: x.p.PolicyName as string, PolicyDocument: x.p.PolicyDocument as PolicyDocument })),
    ];
    global.push({
      ...base('AwsIamRole', arn, name, 'global'),
      RoleName: name, Arn: arn, Path: '/', AssumeRolePolicyDocument: p.AssumeRolePolicyDocument, RolePolicyList: inline,
      AttachedManagedPolicies: ((p.ManagedPolicyArns ?? []) as string[]).map((PolicyArn) => ({ PolicyArn, PolicyName: PolicyArn.split('/').pop() })),
      AttachedPolicyDocuments: ((p.ManagedPolicyArns ?? []) as string[]).map((PolicyArn) => ({ PolicyArn })),
    } as unknown as AnyResource);
  }
  for (const { id, p } of of('AWS::Logs::LogGroup')) {
    const name = names[id]!.ref;
    regional.push({
      ...base('AwsLogsLogGroup', `arn:aws:logs:${region}:${accountId}:log-group:${name}`, name),
      logGroupName: name, storedBytes: 0, metricFilterCount: 0, logGroupClass: 'STANDARD',
      ...(p.RetentionInDays ? { retentionInDays: p.RetentionInDays } : {}), ...(p.KmsKeyId ? { kmsKeyId: p.KmsKeyId } : {}),
    } as unknown as AnyResource);
  }
  for (const { id, p } of of('AWS::CloudWatch::Alarm')) {
    const name = p.AlarmName ?? names[id]!.ref;
    const arn = `arn:aws:cloudwatch:${region}:${accountId}:alarm:${name}`;
    regional.push({
      ...base('AwsCloudWatchAlarm', arn, name),
      AlarmName: name, AlarmArn: arn, AlarmType: 'MetricAlarm', ActionsEnabled: p.ActionsEnabled ?? true,
      AlarmActions: p.AlarmActions ?? [], OKActions: p.OKActions ?? [], InsufficientDataActions: p.InsufficientDataActions ?? [], StateValue: 'OK',
      Namespace: p.Namespace, MetricName: p.MetricName, Dimensions: p.Dimensions ?? [], Statistic: p.Statistic, ExtendedStatistic: p.ExtendedStatistic,
      Period: p.Period, Threshold: p.Threshold, ComparisonOperator: p.ComparisonOperator, EvaluationPeriods: p.EvaluationPeriods,
      ...(p.Metrics ? { Metrics: p.Metrics } : {}),
    } as unknown as AnyResource);
  }
  for (const { id, p } of of('AWS::DynamoDB::Table')) {
    const { ref: name, arn } = names[id]!;
    regional.push({
      ...base('AwsDynamoDbTable', arn, name),
      TableName: name, TableArn: arn, TableStatus: 'ACTIVE', BillingModeSummary: { BillingMode: p.BillingMode ?? 'PROVISIONED' },
      ...(p.ProvisionedThroughput ? { ProvisionedThroughput: p.ProvisionedThroughput } : {}),
      DeletionProtectionEnabled: p.DeletionProtectionEnabled ?? false,
      ...(p.SSESpecification?.SSEEnabled ? { SSEDescription: { Status: 'ENABLED', SSEType: 'KMS' } } : {}),
      ContinuousBackupsDescription: {
        ContinuousBackupsStatus: 'ENABLED',
        PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: p.PointInTimeRecoverySpecification?.PointInTimeRecoveryEnabled ? 'ENABLED' : 'DISABLED' },
      },
      TableSizeBytes: 0, ItemCount: 0,
    } as unknown as AnyResource);
  }
  const topicPolicies = of('AWS::SNS::TopicPolicy');
  for (const { id, p } of of('AWS::SNS::Topic')) {
    const arn = names[id]!.arn;
    const policy = topicPolicies.find((x) => (x.p.Topics as string[]).includes(arn))?.p.PolicyDocument ?? null;
    regional.push({
      ...base('AwsSnsTopic', arn, arn.split(':').pop()!),
      TopicArn: arn,
      Attributes: { TopicArn: arn, Owner: accountId, DisplayName: p.DisplayName ?? '', ...(p.KmsMasterKeyId ? { KmsMasterKeyId: p.KmsMasterKeyId } : {}) },
      Policy: policy,
    } as unknown as AnyResource);
  }
  for (const { id, p } of of('AWS::SNS::Subscription')) {
    const arn = `${p.TopicArn}:${id}`;
    regional.push({
      ...base('AwsSnsSubscription', arn, id),
      SubscriptionArn: arn, TopicArn: p.TopicArn, Owner: accountId, Protocol: p.Protocol, Endpoint: p.Endpoint,
      Attributes: { ...(p.RedrivePolicy ? { RedrivePolicy: JSON.stringify(p.RedrivePolicy) } : {}), ...(p.FilterPolicy ? { FilterPolicy: JSON.stringify(p.FilterPolicy) } : {}) },
    } as unknown as AnyResource);
  }

  const byKind = (list: AnyResource[]) => {
    const out: Record<string, AnyResource[]> = {};
    for (const r of list) (out[r.kind] ??= []).push(r);
    return out;
  };
  return {
    accountId,
    partition: 'aws',
    regions: [
      { region, resources: byKind(regional), listGaps: [] },
      { region: 'global', resources: byKind(global), listGaps: [] },
    ],
  };
}

function fail(what: string): never {
  throw new Error(`template inventory: cannot resolve ${what}`);
}
