// The auditor stack: a nightly EventBridge Scheduler schedule starts a Step Functions state machine that plans the
// accounts, fans out per account and per region to the scanner Lambda, and finalizes (history, Security Hub, Slack).
// Handlers: src/lambda/handlers.ts. The stack follows the lens it audits: its own functions have log retention,
// X-Ray tracing, error and throttle alarms, a dead-letter queue, reserved concurrency, one role each, explicit actions.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CfnOutput, Duration, RemovalPolicy, Stack, Stage, TimeZone, type StackProps,
  aws_cloudwatch as cw, aws_cloudwatch_actions as cwActions, aws_dynamodb as dynamodb, aws_iam as iam, aws_kms as kms,
  aws_lambda as lambda, aws_lambda_nodejs as nodejs, aws_logs as logs, aws_s3 as s3, aws_scheduler as scheduler,
  aws_scheduler_targets as targets, aws_secretsmanager as secretsmanager, aws_sns as sns, aws_sns_subscriptions as subs,
  aws_sqs as sqs, aws_stepfunctions as sfn, aws_stepfunctions_tasks as tasks,
} from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { ALL_CHECKS } from '../../checks/index.js';
import { ORG_OPERATIONS, apiGatewayGetResources, requiredActions } from '../../src/engine/permissions.js';
import { WELL_ARCHITECTED_ACTIONS, WELL_ARCHITECTED_MILESTONE_ACTION } from '../../src/sinks/well-architected.js';
import { RUNTIME_CONFIG_FILE, runtimeConfig, type DeployConfig } from '../../src/lambda/config.js';
import { tableSchema, TTL_ATTRIBUTE } from '../../src/state/index.js';
import { HEALTH_NAMESPACE, HEALTH_METRICS } from '../../src/lambda/run-health.js';
import { REPORT_PREFIXES } from '../../src/sinks/report-bucket.js';
import { acknowledgeNagFindings } from './nag.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface AuditorStackProps extends StackProps {
  config: DeployConfig;
}

/** Read actions the scanner needs in its own account (the member role has the same list: deploy/member-role.yaml). */
export function scannerReadActions(): { plain: string[]; apigateway: string[] } {
  const actions = requiredActions(ALL_CHECKS, { metrics: true });
  return { plain: actions.filter((a) => !a.startsWith('apigateway:')), apigateway: actions.filter((a) => a.startsWith('apigateway:')) };
}

export class AuditorStack extends Stack {
  readonly stateMachine: sfn.StateMachine;
  readonly table: dynamodb.Table;
  readonly reportBucket?: s3.Bucket;

  constructor(scope: Construct, id: string, props: AuditorStackProps) {
    super(scope, id, props);
    const { config } = props;
    const retention = config.logRetentionDays as logs.RetentionDays;
    const roleName = config.scope.roleName ?? 'LensAuditReadOnly';

    // ----------------------------------------------------------------------------------------- state and plumbing

    const keys = tableSchema('x').KeySchema!;
    const attr = (type: 'HASH' | 'RANGE') => keys.find((k) => k.KeyType === type)!.AttributeName!;
    this.table = new dynamodb.Table(this, 'StateTable', {
      // A readable fixed name: a generated one (Stack-StateTable1A2B3C-XYZ...) in STATE_TABLE looks like a token to
      // lambda.env-secrets' entropy test.
      tableName: `${this.stackName}-state`,
      partitionKey: { name: attr('HASH'), type: dynamodb.AttributeType.STRING },
      sortKey: { name: attr('RANGE'), type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: TTL_ATTRIBUTE,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // One customer managed key for the alarm topic (CloudWatch cannot publish to a topic under alias/aws/sns) and the
    // log groups (lens: logs under a key of your own).
    const key = new kms.Key(this, 'Key', { enableKeyRotation: true, description: 'lens-audit: alarm topic and log groups', removalPolicy: RemovalPolicy.RETAIN });
    key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'CloudWatchAlarmsPublish',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
    }));
    key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'CloudWatchLogsEncrypt',
      principals: [new iam.ServicePrincipal(`logs.${this.region}.amazonaws.com`)],
      actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:DescribeKey'],
      resources: ['*'],
      conditions: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${this.partition}:logs:${this.region}:${this.account}:log-group:*` } },
    }));
    const logGroup = (id: string, logGroupName?: string) =>
      new logs.LogGroup(this, id, { ...(logGroupName ? { logGroupName } : {}), retention, encryptionKey: key, removalPolicy: RemovalPolicy.DESTROY });

    // Failed asynchronous deliveries: the schedule's undeliverable starts, the functions' async events, the e-mails.
    const dlq = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED, enforceSSL: true, retentionPeriod: Duration.days(14),
    });

    const alarmTopic = new sns.Topic(this, 'AlarmTopic', { masterKey: key, enforceSSL: true, displayName: 'lens-audit alarms' });
    if (config.alarmEmail) alarmTopic.addSubscription(new subs.EmailSubscription(config.alarmEmail, { deadLetterQueue: dlq }));
    const alarmAction = new cwActions.SnsAction(alarmTopic);
    const alarm = (id: string, description: string, metric: cw.IMetric) =>
      new cw.Alarm(this, id, {
        alarmDescription: description, metric, threshold: 1, evaluationPeriods: 1,
        comparisonOperator: cw.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cw.TreatMissingData.NOT_BREACHING,
      }).addAlarmAction(alarmAction);
    for (const metricName of ['ReadThrottleEvents', 'WriteThrottleEvents']) {
      alarm(`StateTable${metricName}Alarm`, `lens-audit state table: ${metricName} > 0`, new cw.Metric({
        namespace: 'AWS/DynamoDB', metricName, dimensionsMap: { TableName: this.table.tableName }, statistic: cw.Stats.SUM, period: Duration.minutes(5),
      }));
    }

    const slackSecret = config.slack.enabled
      ? new secretsmanager.Secret(this, 'SlackWebhook', {
        secretName: config.slack.secretName,
        description: 'Slack incoming webhook URL for the lens-audit digest: put the URL as plain text (aws secretsmanager put-secret-value)',
      })
      : undefined;

    // Reports people can open: report.html and report.json of every run, under a dated prefix and as latest/.
    // SSE-S3 rather than the stack's KMS key: whoever may read the bucket can open a report in the console without
    // also needing kms:Decrypt. No public access, TLS only, objects owned by the bucket owner, expiry configurable.
    const reportBucket = config.reports.enabled
      ? new s3.Bucket(this, 'ReportBucket', {
        encryption: s3.BucketEncryption.S3_MANAGED,
        blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
        enforceSSL: true,
        objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
        lifecycleRules: [{ id: 'expire-reports', expiration: Duration.days(config.reports.expiryDays), abortIncompleteMultipartUploadAfter: Duration.days(1) }],
        removalPolicy: RemovalPolicy.RETAIN,
      })
      : undefined;
    this.reportBucket = reportBucket;

    // The runtime configuration travels as a layer file (no 4 KB environment limit for long suppression lists).
    const configDir = join(Stage.of(this)!.outdir, `lens-audit-config-${this.artifactId}`);
    mkdirSync(configDir, { recursive: true });
    writeFileSync(join(configDir, RUNTIME_CONFIG_FILE), `${JSON.stringify(runtimeConfig(config), null, 2)}\n`);
    const configLayer = new lambda.LayerVersion(this, 'ConfigLayer', {
      code: lambda.Code.fromAsset(configDir),
      compatibleRuntimes: [lambda.Runtime.NODEJS_22_X],
      compatibleArchitectures: [lambda.Architecture.ARM_64],
      description: 'lens-audit runtime configuration (scope, checks, suppressions, sinks)',
    });

    // ----------------------------------------------------------------------------------------- functions

    const fn = (name: string, o: { handler: string; memoryMb: number; timeout: Duration; reserved: number; statements: iam.PolicyStatement[]; env?: Record<string, string>; roleName?: string }) => {
      const fnLogs = logGroup(`${name}Logs`);
      const role = new iam.Role(this, `${name}Role`, {
        assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
        description: `lens-audit ${name} function`,
        ...(o.roleName ? { roleName: o.roleName } : {}),
      });
      // Explicit log permissions on its own group (no managed policy: every permission is visible in the role).
      role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [fnLogs.logGroupArn, `${fnLogs.logGroupArn}:*`] }));
      for (const s of o.statements) role.addToPrincipalPolicy(s);
      const f = new nodejs.NodejsFunction(this, name, {
        entry: join(ROOT, 'src/lambda/handlers.ts'),
        handler: o.handler,
        projectRoot: ROOT,
        depsLockFilePath: join(ROOT, 'package-lock.json'),
        runtime: lambda.Runtime.NODEJS_22_X,
        architecture: lambda.Architecture.ARM_64,
        memorySize: o.memoryMb,
        timeout: o.timeout,
        reservedConcurrentExecutions: o.reserved,
        tracing: lambda.Tracing.ACTIVE,
        logGroup: fnLogs,
        role,
        deadLetterQueue: dlq,
        layers: [configLayer],
        description: `lens-audit ${name}`,
        environment: {
          STATE_TABLE: this.table.tableName,
          LENS_AUDIT_CONFIG_FILE: `/opt/${RUNTIME_CONFIG_FILE}`,
          LOG_LEVEL: 'INFO',
          ...o.env,
        },
        bundling: {
          forceDockerBundling: false,
          format: nodejs.OutputFormat.ESM,
          target: 'node22',
          minify: true,
          sourceMap: true,
          sourcesContent: false,
          // Our pinned SDK clients, not the runtime's: the client factory reads command schemas of this version.
          bundleAwsSDK: true,
          mainFields: ['module', 'main'],
          banner: "import { createRequire as __lensRequire } from 'node:module'; const require = __lensRequire(import.meta.url);",
        },
      });
      alarm(`${name}ErrorsAlarm`, `lens-audit ${name}: Errors > 0`, f.metricErrors({ period: Duration.minutes(5) }));
      alarm(`${name}ThrottlesAlarm`, `lens-audit ${name}: Throttles > 0`, f.metricThrottles({ period: Duration.minutes(5) }));
      return f;
    };

    const partialsWrite = new iam.PolicyStatement({ actions: ['dynamodb:PutItem'], resources: [this.table.tableArn] });
    const partialsRead = new iam.PolicyStatement({ actions: ['dynamodb:Query'], resources: [this.table.tableArn] });

    const plan = fn('Plan', {
      handler: 'plan', memoryMb: 512, timeout: Duration.minutes(5), reserved: 1,
      statements: [new iam.PolicyStatement({ actions: [...ORG_OPERATIONS], resources: ['*'] }), partialsWrite],
    });

    const read = scannerReadActions();
    const scanner = fn('Scanner', {
      handler: 'scanner', memoryMb: config.scan.scannerMemoryMb, timeout: Duration.minutes(15),
      reserved: config.scan.accountConcurrency * config.scan.regionConcurrency,
      // A fixed name: the member roles trust exactly this ARN.
      roleName: config.scannerRoleName,
      statements: [
        new iam.PolicyStatement({ sid: 'AssumeMemberRole', actions: ['sts:AssumeRole'], resources: [`arn:${this.partition}:iam::*:role/${roleName}`] }),
        new iam.PolicyStatement({ sid: 'ReadOwnAccount', actions: read.plain, resources: ['*'] }),
        ...(read.apigateway.length > 0 ? [new iam.PolicyStatement({ sid: 'ReadOwnApiGatewayNoApiKeys', actions: read.apigateway, resources: apiGatewayGetResources(this.partition) })] : []),
        partialsWrite, partialsRead,
      ],
    });

    const finalize = fn('Finalize', {
      handler: 'finalize', memoryMb: config.scan.finalizeMemoryMb, timeout: Duration.minutes(15), reserved: 1,
      env: {
        ...(slackSecret ? { SLACK_WEBHOOK_SECRET_ARN: slackSecret.secretArn } : {}),
        ...(reportBucket ? { REPORT_BUCKET: reportBucket.bucketName } : {}),
        // Run health (embedded metric format): the dimension the stack's alarms read.
        LENS_AUDIT_STACK: this.stackName,
      },
      statements: [
        // History (DynamoStore, its lease: UpdateItem/DeleteItem), partials, Slack posted markers.
        new iam.PolicyStatement({ actions: ['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchGetItem', 'dynamodb:BatchWriteItem'], resources: [this.table.tableArn] }),
        ...(config.securityHub.enabled
          ? [new iam.PolicyStatement({
            sid: 'ImportFindings',
            actions: ['securityhub:BatchImportFindings'],
            // Central mode: findings are imported into this account's default product, in each finding's region.
            resources: [`arn:${this.partition}:securityhub:*:${this.account}:product/${this.account}/default`],
          })]
          : []),
        // Well-Architected Tool notes: this one workload, in the stack's Region.
        ...(config.wellArchitected
          ? [new iam.PolicyStatement({
            sid: 'WellArchitectedNotes',
            actions: [...WELL_ARCHITECTED_ACTIONS, ...(config.wellArchitected.milestone ? [WELL_ARCHITECTED_MILESTONE_ACTION] : [])].sort(),
            resources: [`arn:${this.partition}:wellarchitected:${this.region}:${this.account}:workload/${config.wellArchitected.workloadId}`],
          })]
          : []),
        ...(slackSecret ? [new iam.PolicyStatement({ sid: 'ReadSlackWebhook', actions: ['secretsmanager:GetSecretValue'], resources: [slackSecret.secretArn] })] : []),
        ...(reportBucket ? [new iam.PolicyStatement({ sid: 'WriteReports', actions: ['s3:PutObject'], resources: REPORT_PREFIXES.map((p) => reportBucket.arnForObjects(`${p}*`)) })] : []),
      ],
    });

    // ----------------------------------------------------------------------------------------- state machine

    const run = { runId: sfn.JsonPath.stringAt('$.runId'), startedAt: sfn.JsonPath.stringAt('$.startedAt') };
    const serviceRetry = (task: tasks.LambdaInvoke) =>
      task.addRetry({ errors: ['Lambda.TooManyRequestsException'], interval: Duration.seconds(5), maxAttempts: 8, backoffRate: 2, jitterStrategy: sfn.JitterType.FULL });

    const runFailed = new sfn.Fail(this, 'Run failed', { error: 'LensAuditRunFailed', cause: 'The plan or finalize step failed after its retries (see the failed state)' });

    const planTask = new tasks.LambdaInvoke(this, 'Plan accounts', {
      lambdaFunction: plan,
      payload: sfn.TaskInput.fromObject({ runId: sfn.JsonPath.stringAt('$$.Execution.Name'), startedAt: sfn.JsonPath.stringAt('$$.Execution.StartTime') }),
      payloadResponseOnly: true,
    });
    serviceRetry(planTask).addCatch(runFailed, { resultPath: '$.error' });

    // Per account: regions → scan each region → evaluate the account. Any failure is caught: finalize reports the
    // account (or region) as not completed and keeps its findings.
    const accountDone = new sfn.Pass(this, 'Account not completed', { outputPath: '$.accountId' });
    const regionsTask = new tasks.LambdaInvoke(this, 'Resolve regions', {
      lambdaFunction: scanner,
      payload: sfn.TaskInput.fromObject({ action: 'regions', ...run, accountId: sfn.JsonPath.stringAt('$.accountId') }),
      payloadResponseOnly: true,
    });
    serviceRetry(regionsTask).addRetry({ errors: ['States.ALL'], interval: Duration.seconds(10), maxAttempts: 1 }).addCatch(accountDone, { resultPath: '$.error' });

    const scanItem = { ...run, accountId: sfn.JsonPath.stringAt('$.accountId'), region: sfn.JsonPath.stringAt('$.region') };
    const scanTask = new tasks.LambdaInvoke(this, 'Scan account-region', {
      lambdaFunction: scanner,
      payload: sfn.TaskInput.fromObject({ action: 'scan', ...scanItem, resumes: sfn.JsonPath.numberAt('$.resumes') }),
      payloadResponseOnly: true,
      resultPath: '$.scan',
    });
    // A failed item is retried once with the same item (and checkpoint); then it is left out (finalize:
    // ScanIncomplete).
    serviceRetry(scanTask)
      .addRetry({ errors: ['States.ALL'], interval: Duration.seconds(30), maxAttempts: 1 })
      .addCatch(new sfn.Pass(this, 'Region not completed', { outputPath: '$.region' }), { resultPath: '$.error' });
    // An account-region too big for one invocation: the scan stops before the Lambda timeout, stores its checkpoint
    // and answers done: false; it is invoked again (resumes + 1) and continues from there (src/aws/journal.ts).
    const resume = new sfn.Pass(this, 'Continue from checkpoint', {
      parameters: { ...scanItem, resumes: sfn.JsonPath.numberAt('$.scan.resumes') },
    });
    resume.next(scanTask);
    const scanned = new sfn.Choice(this, 'Region scanned?')
      .when(sfn.Condition.booleanEquals('$.scan.done', false), resume)
      .otherwise(new sfn.Pass(this, 'Region scanned', { outputPath: '$.region' }));

    const regionsMap = new sfn.Map(this, 'Scan regions', {
      itemsPath: '$.regions',
      itemSelector: { ...run, accountId: sfn.JsonPath.stringAt('$.accountId'), region: sfn.JsonPath.stringAt('$$.Map.Item.Value'), resumes: 0 },
      maxConcurrency: config.scan.regionConcurrency,
      resultPath: sfn.JsonPath.DISCARD,
    });
    regionsMap.itemProcessor(scanTask.next(scanned));

    const evaluateTask = new tasks.LambdaInvoke(this, 'Evaluate account', {
      lambdaFunction: scanner,
      payload: sfn.TaskInput.fromObject({ action: 'evaluate', ...run, accountId: sfn.JsonPath.stringAt('$.accountId'), regions: sfn.JsonPath.listAt('$.regions') }),
      payloadResponseOnly: true,
      resultPath: sfn.JsonPath.DISCARD,
      // Each account's output is its id only: the Map's collected output stays far below 256 KB.
      outputPath: '$.accountId',
    });
    serviceRetry(evaluateTask).addRetry({ errors: ['States.ALL'], interval: Duration.seconds(30), maxAttempts: 1 }).addCatch(accountDone, { resultPath: '$.error' });

    const perAccount = regionsTask.next(regionsMap).next(evaluateTask);
    const accountItems = {
      itemsPath: '$.accounts',
      itemSelector: { ...run, accountId: sfn.JsonPath.stringAt('$$.Map.Item.Value') },
      maxConcurrency: config.scan.accountConcurrency,
      resultPath: sfn.JsonPath.DISCARD,
    };
    const accountsMap = config.scan.distributedMap
      ? new sfn.DistributedMap(this, 'Scan accounts', {
        ...accountItems,
        mapExecutionType: sfn.StateMachineType.STANDARD,
        // Every account's failures are caught inside; anything else is reported by finalize as incomplete.
        toleratedFailurePercentage: 100,
      }).itemProcessor(perAccount)
      : new sfn.Map(this, 'Scan accounts', accountItems).itemProcessor(perAccount);

    const finalizeTask = new tasks.LambdaInvoke(this, 'Finalize run', {
      lambdaFunction: finalize,
      payload: sfn.TaskInput.fromObject(run),
      payloadResponseOnly: true,
    });
    serviceRetry(finalizeTask).addRetry({ errors: ['States.ALL'], interval: Duration.seconds(30), maxAttempts: 2, backoffRate: 2 }).addCatch(runFailed, { resultPath: '$.error' });
    // Even if the fan-out itself fails, finalize runs: what completed is recorded, the rest is reported incomplete.
    accountsMap.addCatch(finalizeTask, { resultPath: '$.fanOutError' });

    const stateMachineLogs = logGroup('StateMachineLogs', `/aws/vendedlogs/states/${this.stackName}-${this.node.addr.slice(0, 8)}`);
    // A run that assessed no account at all (every role denied, every scan failed) is a failed run, not a success:
    // finalize records it (nothing is resolved) and answers status FAILED; the execution fails (ExecutionsFailed alarm).
    const assessed = new sfn.Choice(this, 'Run assessed?')
      .when(sfn.Condition.stringEquals('$.status', 'FAILED'), new sfn.Fail(this, 'Nothing assessed', {
        error: 'LensAuditNothingAssessed', cause: 'No account of the run could be assessed (see the finalize log line and the run errors)',
      }))
      .otherwise(new sfn.Succeed(this, 'Run done'));
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      definitionBody: sfn.DefinitionBody.fromChainable(planTask.next(accountsMap).next(finalizeTask).next(assessed)),
      stateMachineType: sfn.StateMachineType.STANDARD,
      tracingEnabled: true,
      logs: { destination: stateMachineLogs, level: sfn.LogLevel.ERROR, includeExecutionData: false },
      // Below the nightly period: two runs never overlap on the same history.
      timeout: Duration.hours(23),
    });

    alarm('StateMachineExecutionsFailedAlarm', 'lens-audit state machine: ExecutionsFailed > 0', this.stateMachine.metricFailed({ period: Duration.minutes(5) }));
    alarm('StateMachineExecutionsTimedOutAlarm', 'lens-audit state machine: ExecutionsTimedOut > 0', this.stateMachine.metricTimedOut({ period: Duration.minutes(5) }));
    alarm('DeadLetterQueueAlarm', 'lens-audit: a schedule start, an asynchronous event or an alarm e-mail was not delivered',
      dlq.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }));

    // Run health, from the metrics finalize publishes (embedded metric format, src/lambda/run-health.ts).
    const health = (metricName: string, statistic: string, period: Duration) =>
      new cw.Metric({ namespace: HEALTH_NAMESPACE, metricName, dimensionsMap: { Stack: this.stackName }, statistic, period });
    if (config.schedule.enabled) {
      // 13 periods of 2 hours: no successful run in 26 hours. Missing data (no run at all) is breaching.
      new cw.Alarm(this, 'NoSuccessfulRunAlarm', {
        alarmDescription: 'lens-audit: no successful run in 26 hours',
        metric: health(HEALTH_METRICS.runSucceeded, cw.Stats.SUM, Duration.hours(2)),
        threshold: 1, evaluationPeriods: 13, datapointsToAlarm: 13,
        comparisonOperator: cw.ComparisonOperator.LESS_THAN_THRESHOLD,
        treatMissingData: cw.TreatMissingData.BREACHING,
      }).addAlarmAction(alarmAction);
    }
    alarm('AccountsNotAssessedAlarm', 'lens-audit: an account of the last run was not assessed (role denied, scan failed)',
      health(HEALTH_METRICS.accountsNotAssessed, cw.Stats.MAXIMUM, Duration.hours(1)));

    // ----------------------------------------------------------------------------------------- schedule

    new scheduler.Schedule(this, 'Schedule', {
      description: 'lens-audit nightly scan',
      schedule: scheduler.ScheduleExpression.expression(config.schedule.expression, TimeZone.of(config.schedule.timeZone)),
      enabled: config.schedule.enabled,
      timeWindow: scheduler.TimeWindow.off(),
      target: new targets.StepFunctionsStartExecution(this.stateMachine, {
        deadLetterQueue: dlq,
        // A missed start is not retried into a second, overlapping run.
        retryAttempts: 0,
        maxEventAge: Duration.hours(1),
      }),
    });

    new CfnOutput(this, 'ScannerRoleArn', { value: scanner.role!.roleArn, description: 'ScannerRoleArn parameter of deploy/member-role.yaml' });
    new CfnOutput(this, 'StateTableName', { value: this.table.tableName, description: 'Findings history: lens-audit --store dynamodb://TABLE' });
    new CfnOutput(this, 'StateMachineArn', { value: this.stateMachine.stateMachineArn });
    new CfnOutput(this, 'AlarmTopicArn', { value: alarmTopic.topicArn });
    if (reportBucket) new CfnOutput(this, 'ReportBucketName', { value: reportBucket.bucketName, description: 'report.html and report.json of every run (latest/ and reports/YYYY/MM/DD/<runId>/)' });
    acknowledgeNagFindings(this, {
      plan, scanner, finalize, functions: [plan, scanner, finalize], stateMachine: this.stateMachine,
      ...(slackSecret ? { slackSecret } : {}), ...(reportBucket ? { reportBucket } : {}),
    });
    if (slackSecret) new CfnOutput(this, 'SlackWebhookSecretArn', { value: slackSecret.secretArn, description: 'Put the Slack webhook URL here' });
  }
}
