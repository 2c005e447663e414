// The environment variables lens-audit itself reads (the SDK's own — AWS_REGION, AWS_PROFILE, ... — are the SDK's).

/** The Slack webhook (a URL, `ssm:/name` or `secret:name`) when `--slack-webhook` is not given. */
export const SLACK_WEBHOOK_ENV = 'LENS_AUDIT_SLACK_WEBHOOK';
