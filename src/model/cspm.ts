// Security Hub CSPM controls that cover the same ground as one of our checks (check metadata `peers.cspm`).
// Ids and titles as on https://docs.aws.amazon.com/securityhub/latest/userguide/<service>-controls.html (catalogue.md §4).
// `retired`: the control no longer runs in any standard, so it never counts as an overlap.

export interface CspmControl {
  title: string;
  retired?: string;
}

export const CSPM_CONTROLS: Record<string, CspmControl> = {
  'APIGateway.1': { title: 'API Gateway REST and WebSocket API execution logging should be enabled' },
  'APIGateway.2': { title: 'API Gateway REST API stages should be configured to use SSL certificates for backend authentication' },
  'APIGateway.3': { title: 'API Gateway REST API stages should have AWS X-Ray tracing enabled' },
  'APIGateway.4': { title: 'API Gateway should be associated with a WAF Web ACL' },
  'APIGateway.5': { title: 'API Gateway REST API cache data should be encrypted at rest' },
  'APIGateway.8': { title: 'API Gateway routes should specify an authorization type' },
  'APIGateway.9': { title: 'Access logging should be configured for API Gateway V2 Stages' },
  'APIGateway.10': { title: 'API Gateway V2 integrations should use HTTPS for private connections' },
  'APIGateway.11': { title: 'API Gateway domain names should use recommended security policies' },
  'CloudWatch.15': { title: 'CloudWatch alarms should have specified actions configured' },
  'CloudWatch.16': { title: 'CloudWatch log groups should be retained for a specified time period' },
  'CloudWatch.17': { title: 'CloudWatch alarm actions should be activated' },
  'DynamoDB.1': { title: 'DynamoDB tables should automatically scale capacity with demand' },
  'DynamoDB.2': { title: 'DynamoDB tables should have point-in-time recovery enabled' },
  'DynamoDB.4': { title: 'DynamoDB tables should be present in a backup plan' },
  'DynamoDB.5': { title: 'DynamoDB tables should be tagged' },
  'DynamoDB.6': { title: 'DynamoDB tables should have deletion protection enabled' },
  'IAM.1': { title: 'IAM policies should not allow full "*" administrative privileges' },
  'IAM.21': { title: 'IAM customer managed policies that you create should not allow wildcard actions for services' },
  'Kinesis.1': { title: 'Kinesis streams should be encrypted at rest' },
  'Kinesis.2': { title: 'Kinesis streams should be tagged' },
  'Kinesis.3': { title: 'Kinesis streams should have an adequate data retention period' },
  'Lambda.1': { title: 'Lambda function policies should prohibit public access' },
  'Lambda.2': { title: 'Lambda functions should use supported runtimes' },
  'Lambda.5': { title: 'VPC Lambda functions should operate in multiple Availability Zones' },
  'Lambda.6': { title: 'Lambda functions should be tagged' },
  'Lambda.7': { title: 'Lambda functions should have AWS X-Ray active tracing enabled' },
  'SNS.1': { title: 'SNS topics should be encrypted at-rest using AWS KMS' },
  'SNS.2': { title: 'Logging of delivery status should be enabled for notification messages sent to a topic', retired: '2024-04' },
  'SNS.3': { title: 'SNS topics should be tagged' },
  'SNS.4': { title: 'SNS topic access policies should not allow public access' },
};
