// cdk-nag (AwsSolutions pack) acknowledgements: each finding the stack keeps on purpose, with its reason.
// test/deploy/nag.test.ts runs the pack over the synthesized stack and fails on any finding not acknowledged here.
import { Validations, type Stack } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';

export interface NagSubjects {
  plan: { role?: IConstruct };
  scanner: { role?: IConstruct };
  finalize: { role?: IConstruct };
  functions: IConstruct[];
  stateMachine: IConstruct;
  slackSecret?: IConstruct;
  reportBucket?: IConstruct;
}

const ack = (scope: IConstruct | undefined, id: string, reason: string) => {
  if (scope) Validations.of(scope).acknowledge({ id, reason });
};

const XRAY = 'xray:PutTraceSegments and PutTelemetryRecords support no resource-level permission';
const IAM5_REASONS: [RegExp, string][] = [
  [/^Resource::\*$/,
    `actions with no resource-level permission or needed on every resource: ${XRAY}; organizations:ListAccounts, ListAccountsForParent and ListOrganizationalUnitsForParent (plan); ` +
      'the read-only List/Get/Describe actions the collectors declare, on every resource of the auditor account, which is what an audit reads (scanner, the same list as the member role)'],
  [/^Resource::<\w+Logs[0-9A-F]{8}\.Arn>:\*$/, 'logs:CreateLogStream and PutLogEvents on the streams of the function\'s own log group (stream names are made by Lambda at run time)'],
  [/^Resource::arn:<AWS::Partition>:iam::\*:role\/[\w+=,.@-]+$/, 'sts:AssumeRole on the member role (fixed name) in every account of the organization: the accounts in scope are discovered at run time'],
  [/^Resource::arn:<AWS::Partition>:apigateway:\*::\/[a-z/*]+$/, 'apigateway:GET on the API Gateway paths that hold no API keys (/restapis/*, /apis/*, ...), in every region: API ids are not known in advance'],
  [/^Resource::arn:<AWS::Partition>:securityhub:\*:\d{12}:product\/\d{12}\/default$/, 'securityhub:BatchImportFindings into the auditor account\'s own default product, in every region (each finding goes to its own region)'],
  [/^Resource::<ReportBucket[0-9A-F]{8}\.Arn>\/(reports|latest)\/\*$/, 's3:PutObject under reports/ and latest/ of the report bucket only: object keys name the run'],
  [/^Resource::<(Plan|Scanner|Finalize)[0-9A-F]{8}\.Arn>:\*$/, 'lambda:InvokeFunction on the stack\'s own function and its versions (<functionArn>:*), as CDK\'s LambdaInvoke grants it to the state machine'],
  [/^Resource::arn:<AWS::Partition>:states:[a-z0-9-]+:\d{12}:execution:.*:\*$/, 'the Distributed Map\'s child executions of this state machine (names are made at run time): DescribeExecution/StopExecution as CDK grants them'],
];

export function acknowledgeNagFindings(_stack: Stack, s: NagSubjects): void {
  // IAM5 (a wildcard in a resource; no action is ever a wildcard: test/deploy/auditor-stack.test.ts): cdk-nag names
  // each wildcard resource as its own finding, AwsSolutions-IAM5[Resource::...]. Each kind is acknowledged by the
  // pattern below with its reason; a wildcard matching none of them stays a finding and fails the test.
  for (const v of new AwsSolutionsChecks().validateScope(_stack).violations) {
    const m = /^AwsSolutions-IAM5\[(.*)\]$/s.exec(v.ruleName);
    const reason = m ? IAM5_REASONS.find(([re]) => re.test(m[1]!))?.[1] : undefined;
    if (!reason) continue;
    for (const r of v.violatingResources) {
      const node = _stack.node.findAll().find((c) => c.node.path === (r as { constructPath?: string }).constructPath);
      ack(node, v.ruleName, reason);
    }
  }
  ack(s.stateMachine, 'AwsSolutions-SF1',
    'ERROR level on purpose: every failed state is logged, and X-Ray traces the rest; ALL would log each of the thousands of scan transitions of a night (CloudWatch Logs ingestion cost) for no operational gain');
  for (const f of s.functions) {
    ack(f, 'AwsSolutions-L1',
      'nodejs22.x is pinned: the handlers are bundled for node22 (esbuild target) and tested on Node 20/22; moving to a newer runtime is a tested upgrade, not a drift');
  }
  ack(s.slackSecret, 'AwsSolutions-SMG4',
    'the secret holds a Slack incoming-webhook URL, which Slack issues and only a Slack admin can replace: there is nothing a rotation Lambda could rotate it to');
  ack(s.reportBucket, 'AwsSolutions-S1',
    'the report bucket is written by the finalize function only (s3:PutObject on two prefixes) and read by people through the console; CloudTrail records its management events, S3 data events can be turned on in the organization trail. A second, log bucket per stack would need its own lifecycle and policies for little gain');
}
