// Resolves `ssm:/path` and `secret:name` references to the secret value they point at (sink settings such as the
// Slack webhook URL). Audit clients refuse secret reads, so this module builds its own writable-mode factory.
// The value is returned to the caller only: it never appears in an error entry.
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { ClientFactory, type ClientFactoryOptions } from '../aws/clients.js';
import { errorCode, errorMessage } from '../aws/errors.js';
import type { CollectionError } from '../model/index.js';

export interface SecretRefOptions {
  /** Region for names that are not ARNs (an ARN's own region wins). Default: AWS_REGION, AWS_DEFAULT_REGION, us-east-1. */
  region?: string;
  /** Credentials/profile/endpoint for the sink's clients; `readOnly` is forced to false. */
  aws?: Omit<ClientFactoryOptions, 'readOnly'>;
}

export type SecretRefResult = { value: string; error?: undefined } | { value?: undefined; error: CollectionError };

const REF = /^(ssm|secret):(.+)$/;

export function isSecretRef(setting: string): boolean {
  return REF.test(setting);
}

function arnParts(name: string): { region?: string; accountId?: string } {
  const p = name.split(':');
  return p[0] === 'arn' && p.length >= 6 ? { region: p[3] || undefined, accountId: p[4] || undefined } : {};
}

export async function resolveSecretRef(ref: string, options: SecretRefOptions = {}): Promise<SecretRefResult> {
  const m = REF.exec(ref);
  const kind = m?.[1] as 'ssm' | 'secret' | undefined;
  const name = m?.[2] ?? '';
  const fromArn = arnParts(name);
  const region = fromArn.region ?? options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const service = kind === 'secret' ? 'secretsmanager' : 'ssm';
  const operation = kind === 'secret' ? 'GetSecretValue' : 'GetParameter';
  const fail = (code: string, message: string): SecretRefResult => ({
    error: { accountId: fromArn.accountId ?? '', region, service, operation, code, message },
  });
  if (!kind) return fail('InvalidSecretRef', 'expected ssm:/parameter/name or secret:secret-name');

  const factory = new ClientFactory({ ...options.aws, readOnly: false });
  try {
    if (kind === 'ssm') {
      const out = await factory.get(SSMClient, region).send(new GetParameterCommand({ Name: name, WithDecryption: true }));
      const value = out.Parameter?.Value;
      return value ? { value } : fail('EmptySecret', `parameter ${name} has no value`);
    }
    const out = await factory.get(SecretsManagerClient, region).send(new GetSecretValueCommand({ SecretId: name }));
    // Plain-text secrets only: a key/value (JSON) secret is reported rather than guessed at.
    const value = out.SecretString;
    if (!value) return fail('EmptySecret', `secret ${name} has no SecretString`);
    if (value.trimStart().startsWith('{')) return fail('UnsupportedSecretFormat', `secret ${name} holds JSON; store the value as plain text`);
    return { value };
  } catch (err) {
    return fail(errorCode(err), errorMessage(err));
  } finally {
    factory.destroy();
  }
}
