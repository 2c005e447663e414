import { describe, expect, it } from 'vitest';
import { profileEnvValue, profileEnvironment, redactUrl, secretPatterns, shannonEntropy, valueClass } from '../../src/collect/redact.js';

// Fake secrets in the shapes real ones have (AWS documentation example keys and similar).
const SAMPLES: Record<string, string> = {
  'aws-access-key-id': 'AKIAIOSFODNN7EXAMPLE',
  'aws-secret-key-like': 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  'private-key': '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----',
  jwt: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
  'slack-webhook': 'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX',
  'github-token': 'ghp_abcdefghijklmnopqrstuvwxyz0123456789',
  'stripe-key': 'sk_live_4eC39HqLyjWDarjtT1zdp7dc',
  'url-credentials': 'postgres://admin:hunter2@db.example.com:5432/app',
  'high-entropy': 'q7Vx2Lp9ZtR4mK8sWc3NbH6yJd1FgT5e',
};

describe('secretPatterns', () => {
  for (const [name, value] of Object.entries(SAMPLES)) {
    it(`recognises ${name}`, () => {
      expect(secretPatterns(value)).toContain(name);
    });
  }

  it('finds an access key id inside a longer value', () => {
    expect(secretPatterns('key=ASIAIOSFODNN7EXAMPLE;region=eu-west-1')).toContain('aws-access-key-id');
  });

  it.each([
    ['region', 'us-east-1'],
    ['ARN', 'arn:aws:sns:us-east-1:123456789012:orders-topic'],
    ['queue URL', 'https://sqs.us-east-1.amazonaws.com/123456789012/orders-queue'],
    ['git SHA (hex digest, not a secret key)', 'da39a3ee5e6b4b0d3255bfef95601890afd80709'],
    ['path', '/opt/nodejs/node_modules'],
    ['sentence', 'Orders service for the EU shop, version 2'],
    ['table name', 'orders-table-prod'],
  ])('finds nothing in a %s', (_, value) => {
    expect(secretPatterns(value)).toEqual([]);
  });
});

describe('shannonEntropy', () => {
  it('is 0 for one repeated symbol and log2(n) for n equally frequent symbols', () => {
    expect(shannonEntropy('')).toBe(0);
    expect(shannonEntropy('aaaa')).toBe(0);
    expect(shannonEntropy('abab')).toBe(1);
    expect(shannonEntropy('abcd')).toBe(2);
    expect(shannonEntropy('abcdefgh')).toBe(3);
  });
});

describe('profileEnvValue', () => {
  it('never keeps the value of an ordinary key', () => {
    const p = profileEnvValue('DB_PASSWORD', 'hunter2');
    expect(p).toEqual({ redacted: true, length: 7, entropy: shannonEntropy('hunter2'), patterns: [], class: 'other' });
    expect(JSON.stringify(p)).not.toContain('hunter2');
  });

  it('keeps a short, secret-free log level', () => {
    expect(profileEnvValue('LOG_LEVEL', 'DEBUG').value).toBe('DEBUG');
    expect(profileEnvValue('POWERTOOLS_LOG_LEVEL', 'INFO').value).toBe('INFO');
    expect(profileEnvValue('AWS_LAMBDA_LOG_LEVEL', 'WARN').value).toBe('WARN');
    expect(profileEnvValue('POWERTOOLS_LOGGER_LOG_EVENT', 'true').value).toBe('true');
    expect(profileEnvValue('log_level', 'debug').value).toBe('debug');
  });

  it('drops an allowlisted value that is too long or looks like a secret', () => {
    expect(profileEnvValue('LOG_LEVEL', 'D'.repeat(17))).not.toHaveProperty('value');
    const key = profileEnvValue('LOG_LEVEL', 'AKIAIOSFODNN7EXAMPLE');
    expect(key).not.toHaveProperty('value');
    expect(key.patterns).toContain('aws-access-key-id');
  });

  it('profiles a whole environment map', () => {
    const env = profileEnvironment({ LOG_LEVEL: 'INFO', KEY: 'AKIAIOSFODNN7EXAMPLE' })!;
    expect(env.LOG_LEVEL!.value).toBe('INFO');
    expect(env.KEY).toMatchObject({ redacted: true, length: 20, patterns: ['aws-access-key-id'] });
    expect(JSON.stringify(env)).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect(profileEnvironment(undefined)).toBeUndefined();
  });
});

describe('redactUrl', () => {
  it('drops user info, query and fragment', () => {
    expect(redactUrl('https://user:pa55@example.com:8443/hooks/orders?token=abc123#x')).toBe('https://example.com:8443/hooks/orders');
  });

  it('masks path segments that look like tokens (webhook secrets live in the path)', () => {
    expect(redactUrl(SAMPLES['slack-webhook']!)).toBe('https://hooks.slack.com/services/T00000000/B00000000/*');
    expect(redactUrl('https://events.pagerduty.com/integration/0123456789abcdef0123456789abcdef/enqueue'))
      .toBe('https://events.pagerduty.com/integration/*/enqueue');
  });

  it('keeps ordinary paths', () => {
    expect(redactUrl('https://api.example.com/v1/webhooks/order-events')).toBe('https://api.example.com/v1/webhooks/order-events');
  });

  it('never echoes unparseable input', () => {
    expect(redactUrl('not a url with secret hunter2')).toBe('[unparseable URL]');
  });
});

describe('valueClass', () => {
  it.each([
    ['4096', 'small-integer'], ['-1', 'small-integer'], ['0.75', 'number'], ['1e6', 'number'], ['true', 'boolean'], ['OFF', 'boolean'],
    ['30s', 'duration'], ['15 min', 'duration'], ['PT1H30M', 'duration'], ['P7D', 'duration'],
    ['arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf', 'arn'], ['arn:aws-us-gov:ssm:us-gov-west-1:123456789012:parameter/x', 'arn'],
    ['/prod/db/password', 'ssm-parameter-name'],
    ['12345678', 'other'], ['hunter2', 'other'], ['P', 'other'], ['PT', 'other'], ['/tmp/q7Vx2Lp9ZtR4mK8sWc3NbH6yJd1FgT5e', 'other'], ['arn:aws:sns us-east-1', 'other'],
  ])('%j is %s', (value, cls) => {
    expect(valueClass(value)).toBe(cls);
  });
});

describe('webhook and query-string secrets', () => {
  it.each([
    ['https://discord.com/api/webhooks/123456789012345678/aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789', 'webhook-url'],
    ['https://api.example.com/webhook/9f8e7d6c5b4a39281706f5e4d3c2b1a0', 'webhook-url'],
    ['https://fn.azurewebsites.net/api/ingest?code=Zm9vYmFyYmF6cXV4', 'url-secret-query'],
    ['https://api.example.com/cb?a=1&api_key=abcdef123456', 'url-secret-query'],
  ])('%s is %s', (value, pattern) => {
    expect(secretPatterns(value)).toContain(pattern);
  });
  it.each(['https://api.example.com/webhooks/orders-created', 'https://sqs.us-east-1.amazonaws.com/123456789012/orders-queue', 'https://example.com/search?q=tokens'])(
    'finds nothing in %s',
    (value) => {
      expect(secretPatterns(value)).toEqual([]);
    },
  );
});
