// lambda.env-secrets as a table of (name, value, verdict), through the real redaction (src/collect/redact.ts) and the check.
// Names that are limits, counts, durations or references with values that cannot be secrets pass; secrets still fail.
import { describe, expect, it } from 'vitest';
import envSecrets from '../../checks/lambda/env-secrets.js';
import { profileEnvironment } from '../../src/collect/redact.js';
import { evaluateAccount } from '../../src/engine/evaluate.js';
import { accountOf, makeResource } from '../../src/engine/examples.js';
import type { AnyResource, Check } from '../../src/model/index.js';

const ARN_SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf';
const ARN_PARAM = 'arn:aws:ssm:us-east-1:123456789012:parameter/prod/stripe/api-key';
const PRIVATE_KEY = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----';
const TOKEN = 'q7Vx2Lp9ZtR4mK8sWc3NbH6yJd1FgT5e';
const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';

const ROWS: [name: string, value: string, verdict: 'PASS' | 'FAIL'][] = [
  // Limits, counts, durations, ports and flags whose values cannot be secrets.
  ['MAX_TOKENS', '4096', 'PASS'],
  ['LLM_MAX_TOKENS', '8192', 'PASS'],
  ['TOKEN_LIMIT', '1000', 'PASS'],
  ['TOKEN_TTL', '3600', 'PASS'],
  ['TOKEN_TTL_SECONDS', '900', 'PASS'],
  ['ACCESS_TOKEN_MAX_AGE', '1h', 'PASS'],
  ['TOKEN_EXPIRES_IN', 'PT15M', 'PASS'],
  ['TOKEN_REFRESH_INTERVAL', '30s', 'PASS'],
  ['TOKENS_PER_MINUTE', '90000', 'PASS'],
  ['TOKEN_BUDGET', '0.75', 'PASS'],
  ['PASSWORD_MIN_LENGTH', '12', 'PASS'],
  ['PASSWORD_MAX_ATTEMPTS', '5', 'PASS'],
  ['SECRET_ROTATION_DAYS', '30', 'PASS'],
  ['SECRETS_MANAGER_TTL', '300', 'PASS'],
  ['PARAMETERS_SECRETS_EXTENSION_HTTP_PORT', '2773', 'PASS'],
  ['PARAMETERS_SECRETS_EXTENSION_CACHE_SIZE', '1000', 'PASS'],
  ['CREDENTIALS_TIMEOUT_MS', '5000', 'PASS'],
  ['USE_SECRETS_MANAGER', 'true', 'PASS'],
  ['API_KEY_REQUIRED', 'false', 'PASS'],
  ['AUTH_TOKEN_ENABLED', 'yes', 'PASS'],
  // References to a secret: ARNs, parameter names and paths.
  ['SECRET_NAME', 'prod/db/credentials', 'PASS'],
  ['SECRET_ARN', ARN_SECRET, 'PASS'],
  ['DB_PASSWORD_SECRET_ARN', ARN_SECRET, 'PASS'],
  ['API_KEY_PARAMETER_NAME', '/prod/payments/api-key', 'PASS'],
  ['DB_PASSWORD', '/prod/db/password', 'PASS'],
  ['STRIPE_SECRET', ARN_PARAM, 'PASS'],
  ['TOKEN_ENDPOINT', 'https://auth.example.com/oauth2/token', 'PASS'],
  ['TABLE_NAME', 'orders', 'PASS'],
  ['LOG_LEVEL', 'INFO', 'PASS'],
  ['EMPTY_SECRET', '', 'PASS'],
  // Secrets: by name, by shape, under limit and reference names too.
  ['DB_PASSWORD', 'hunter2', 'FAIL'],
  ['DB_PASSWORD', '123456', 'FAIL'],
  ['API_TOKEN', '12345678', 'FAIL'],
  ['API_KEY', '4096', 'FAIL'],
  ['SESSION_SECRET', 's3cr3t-value', 'FAIL'],
  ['MIN_PASSWORD', 'Tr0ub4dor&3', 'FAIL'],
  ['TOKEN_LIMIT', 'hunter2', 'FAIL'],
  ['MAX_TOKENS', TOKEN, 'FAIL'],
  ['PARTNER_CONFIG', TOKEN, 'FAIL'],
  ['DATABASE_URL', 'postgres://app:s3cr3t@db.example.com:5432/orders', 'FAIL'],
  ['DB_CONNECTION_STRING', 'Server=db;User Id=app;Password=p@ss', 'FAIL'],
  ['SLACK_URL', 'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX', 'FAIL'],
  ['ALERTS_WEBHOOK', 'https://discord.com/api/webhooks/123456789012345678/aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789', 'FAIL'],
  ['TEAMS_WEBHOOK_URL', 'https://contoso.webhook.office.com/webhookb2/1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d/IncomingWebhook/0f1e2d3c4b5a69788796a5b4c3d2e1f0/9a8b7c6d', 'FAIL'],
  ['NOTIFY_URL', 'https://api.example.com/webhook/9f8e7d6c5b4a39281706f5e4d3c2b1a0', 'FAIL'],
  ['CALLBACK_URL', 'https://api.example.com/callback?token=abcdef123456', 'FAIL'],
  ['SIGNING_KEY', PRIVATE_KEY, 'FAIL'],
  ['JWT_PRIVATE_KEY_PATH', PRIVATE_KEY, 'FAIL'],
  ['SECRET_NAME', 'AKIAIOSFODNN7EXAMPLE', 'FAIL'],
  ['SECRET_ARN', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'FAIL'],
  ['GITHUB_TOKEN', 'ghp_abcdefghijklmnopqrstuvwxyz0123456789', 'FAIL'],
  ['STRIPE_API_KEY', 'sk_live_4eC39HqLyjWDarjtT1zdp7dc', 'FAIL'],
  ['AUTH_HEADER', `Bearer ${JWT}`, 'FAIL'],
  ['MAX_TOKENS_SECRET', TOKEN, 'FAIL'],
];

function verdict(name: string, value: string): { status: string; message: string; stored: string } {
  const Variables = profileEnvironment({ [name]: value });
  const fn = makeResource('AwsLambdaFunction', { name: 'fn', Environment: { Variables } }) as AnyResource;
  const [result] = evaluateAccount([envSecrets as unknown as Check], accountOf([fn]), { now: new Date('2026-12-02T00:00:00Z') });
  return { status: result!.status, message: result!.message, stored: JSON.stringify(Variables) };
}

describe('lambda.env-secrets: (name, value, verdict) through redaction and the check', () => {
  it('has at least 40 rows, both verdicts', () => {
    expect(ROWS.length).toBeGreaterThanOrEqual(40);
    expect(ROWS.filter((r) => r[2] === 'PASS').length).toBeGreaterThanOrEqual(20);
    expect(ROWS.filter((r) => r[2] === 'FAIL').length).toBeGreaterThanOrEqual(20);
  });

  it.each(ROWS)('%s=%j → %s', (name, value, expected) => {
    const v = verdict(name, value);
    expect(v.status, v.message).toBe(expected);
    // Neither the inventory profile nor the result carries the value (log levels are kept verbatim by design).
    if (value.length >= 4 && name !== 'LOG_LEVEL') {
      expect(v.stored).not.toContain(JSON.stringify(value));
      expect(v.message).not.toContain(value);
    }
    if (expected === 'FAIL') expect(v.message).toContain(name);
  });

  it('a number, duration or boolean is recorded as such only under a limit name (it would narrow down a numeric password)', () => {
    expect(profileEnvironment({ MAX_TOKENS: '4096' })!.MAX_TOKENS!.class).toBe('small-integer');
    expect(profileEnvironment({ DB_PASSWORD: '4096' })!.DB_PASSWORD!.class).toBe('other');
    expect(profileEnvironment({ DB_PASSWORD: 'true' })!.DB_PASSWORD!.class).toBe('other');
    expect(profileEnvironment({ DB_PASSWORD: ARN_SECRET })!.DB_PASSWORD!.class).toBe('arn');
  });
});
