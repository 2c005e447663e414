import { defineCheck, isLimitName, type CheckExamples, type EnvValueClass, type EnvValueProfile } from '../../src/model/index.js';

/** Variable names that say the value is a credential. Matched on the upper-cased name. */
const SECRET_NAME_PATTERNS: readonly { label: string; re: RegExp }[] = [
  { label: '*PASSWORD*', re: /PASSW(OR)?D|(^|_)PWD($|_)/ },
  { label: '*SECRET*', re: /SECRET/ },
  { label: '*TOKEN*', re: /TOKEN/ },
  { label: '*API_KEY*', re: /API_?KEY/ },
  { label: '*PRIVATE_KEY*', re: /PRIVATE_?KEY/ },
  { label: '*ACCESS_KEY*', re: /ACCESS_?KEY/ },
  { label: '*CREDENTIAL*', re: /CREDENTIAL/ },
  { label: '*CONNECTION_STRING*', re: /CONN(ECTION)?_?STR(ING)?/ },
];

/**
 * Names that refer to a secret instead of holding it (a Secrets Manager ARN or name, a Parameter Store path) or that
 * hold plain configuration (hosts, endpoints, table names). The name alone does not make them a finding, and neither
 * does a merely high-entropy value (host names and ARNs are high-entropy too); a recognised secret shape in the value
 * (an access key, a private key, a URL with credentials, ...) still does.
 */
const NON_SECRET_SUFFIX =
  /(^|_)(ARN|NAME|ID|PATH|PARAM|PARAMETER|SSM|REF|URI|URL|TTL|TABLE|BUCKET|HEADER|TYPE|HOST|HOSTNAME|ENDPOINT|DOMAIN|QUEUE|TOPIC|STREAM|REGION|PREFIX|VERSION)$/;

/** Value shapes that are only a hint: random-looking, but so are many identifiers. */
const WEAK_PATTERNS = new Set(['high-entropy']);

/** Value classes (recorded by the collector) that refer to a secret instead of holding one, under any name. */
const REFERENCE_CLASSES: ReadonlySet<EnvValueClass> = new Set(['arn', 'ssm-parameter-name']);
/** Value classes that cannot be a secret under a limit, count, duration, port or flag name (MAX_TOKENS=4096, TOKEN_TTL=1h). */
const LIMIT_CLASSES: ReadonlySet<EnvValueClass> = new Set(['boolean', 'small-integer', 'number', 'duration']);

interface Hit {
  variable: string;
  reasons: string[];
}

/** Why the value cannot be a secret whatever its name says, or undefined. */
function harmlessValue(name: string, profile: EnvValueProfile): string | undefined {
  const c = profile.class;
  if (c === undefined) return undefined; // an inventory written before value classes existed: judged by name and shapes
  if (REFERENCE_CLASSES.has(c)) return c;
  if (LIMIT_CLASSES.has(c) && isLimitName(name)) return c;
  return undefined;
}

function inspect(name: string, profile: EnvValueProfile): Hit | undefined {
  if (profile.length === 0) return undefined;
  const upper = name.toUpperCase();
  // A recognised secret shape fails under any name; the name and a merely high-entropy value do not count when the name
  // is configuration or a reference, or when the value is one that cannot be a secret (a number under MAX_TOKENS).
  const lenient = NON_SECRET_SUFFIX.test(upper) || harmlessValue(name, profile) !== undefined;
  const reasons: string[] = [];
  // Shapes recognised in the value by the collector (aws-access-key-id, private-key, jwt, high-entropy, ...).
  for (const p of profile.patterns) if (!(lenient && WEAK_PATTERNS.has(p))) reasons.push(`value looks like ${p}`);
  if (!lenient) {
    const hit = SECRET_NAME_PATTERNS.find((p) => p.re.test(upper));
    if (hit) reasons.push(`name matches ${hit.label}`);
  }
  return reasons.length > 0 ? { variable: name, reasons } : undefined;
}

const check = defineCheck({
  id: 'lambda.env-secrets',
  title: 'Lambda environment variable appears to hold a secret',
  description:
    'Environment variables are readable by anyone allowed lambda:GetFunctionConfiguration and end up in templates, consoles and CI logs. ' +
    'A variable fails when its value matches a secret shape recognised at collection time (AWS access key id, private key, JWT, ' +
    'Slack or other webhook URL, GitHub/Stripe token, URL with credentials or a credential in its query, or a token-like high-entropy string), or when its name says it holds ' +
    'a credential (*PASSWORD*, *SECRET*, *TOKEN*, *API_KEY*, *PRIVATE_KEY*, *ACCESS_KEY*, *CREDENTIAL*, *CONNECTION_STRING*) and its ' +
    'value is not empty. Names ending in _ARN, _NAME, _ID, _PATH, _PARAM(ETER), _HOST, _ENDPOINT, _URL and similar refer to a secret ' +
    'store or hold configuration: for them only a recognised secret shape counts, not the name or a merely high-entropy value. ' +
    'The same holds for a value that cannot be a secret: an ARN or a Parameter Store name under any name, and a small number, ' +
    'duration or boolean under a limit, count, duration, port or flag name (MAX_TOKENS=4096, TOKEN_LIMIT=1000, PASSWORD_MIN_LENGTH=12, ' +
    'SECRET_ROTATION_ENABLED=true); the collector records that class of value, never the value. ' +
    'The inventory holds only value profiles (length, entropy, shapes): results name the variable and the reason, never a value. Lens SERVSEC 6.',
  severity: 'HIGH',
  pillar: 'SEC',
  lens: ['SERVSEC 6'],
  lens2022: ['SERVSEC 3'],
  resourceKind: 'AwsLambdaFunction',
  uses: ['Environment'],
  cost: 'C',
  options: { ignoreVariables: [] as string[] },
  remediation: {
    text: 'Move the value to AWS Secrets Manager or SSM Parameter Store (SecureString), pass only its ARN or name in the environment, read it at init (for example with the Parameters and Secrets Lambda extension), and rotate the exposed secret.',
    url: 'https://docs.aws.amazon.com/lambda/latest/dg/with-secrets-manager.html',
  },
  peers: { prowler: ['awslambda_function_no_secrets_in_variables'] },
  evaluate(fn, ctx) {
    const env = fn.Environment;
    if (env?.Error && !env.Variables) {
      return ctx.notAssessed(`Environment variables of function ${fn.name} could not be read: ${env.Error.ErrorCode ?? 'error'}.`);
    }
    const vars = env?.Variables ?? {};
    const ignored = new Set(ctx.options.ignoreVariables.map((v) => v.toUpperCase()));
    const hits = Object.entries(vars)
      .filter(([name]) => !ignored.has(name.toUpperCase()))
      .map(([name, profile]) => inspect(name, profile))
      .filter((h): h is Hit => h !== undefined)
      .sort((a, b) => a.variable.localeCompare(b.variable));
    const count = Object.keys(vars).length;
    if (hits.length === 0) return ctx.pass(`None of the ${count} environment variable(s) of function ${fn.name} looks like a secret.`);
    const summary = hits.map((h) => `${h.variable} (${h.reasons.join('; ')})`).join(', ');
    return ctx.fail(`Function ${fn.name} has environment variable(s) that look like secrets: ${summary}.`, { variables: hits });
  },
});
export default check;

const profile = (length: number, entropy: number, patterns: string[] = [], cls?: EnvValueClass): EnvValueProfile => ({
  redacted: true, length, entropy, patterns, ...(cls ? { class: cls } : {}),
});

export const examples: CheckExamples<'AwsLambdaFunction'> = {
  pass: [
    { name: 'no environment', resource: {} },
    {
      name: 'configuration and secret references only',
      resource: {
        Environment: {
          Variables: {
            TABLE_NAME: profile(6, 2.6),
            DB_PASSWORD_SECRET_ARN: profile(70, 4.3),
            API_KEY_PARAMETER_NAME: profile(22, 3.9),
            LOG_LEVEL: { ...profile(4, 2), value: 'INFO' },
            DB_HOST: profile(60, 4.3, ['high-entropy']),
          },
        },
      },
    },
    {
      name: 'limits and references whose values cannot be secrets',
      resource: {
        Environment: {
          Variables: {
            MAX_TOKENS: profile(4, 1.5, [], 'small-integer'),
            TOKEN_LIMIT: profile(4, 0.8, [], 'small-integer'),
            SECRET_ROTATION_ENABLED: profile(4, 2, [], 'boolean'),
            DB_PASSWORD: profile(24, 3.9, [], 'ssm-parameter-name'),
          },
        },
      },
    },
    { name: 'ignored variable', resource: { Environment: { Variables: { SESSION_TOKEN: profile(12, 3.2) } } }, options: { ignoreVariables: ['session_token'] } },
  ],
  fail: [
    { name: 'password by name', resource: { Environment: { Variables: { DB_PASSWORD: profile(12, 3.1) } } } },
    { name: 'AWS key by value under a neutral name', resource: { Environment: { Variables: { UPLOADER: profile(20, 3.9, ['aws-access-key-id']) } } } },
    { name: 'high-entropy value under a neutral name', resource: { Environment: { Variables: { PARTNER_CONFIG: profile(40, 5.1, ['high-entropy']) } } } },
    { name: 'a number under a secret name that is no limit', resource: { Environment: { Variables: { API_KEY: profile(8, 3, [], 'other') } } } },
    { name: 'a token under a limit name', resource: { Environment: { Variables: { MAX_TOKENS: profile(32, 4.6, ['high-entropy'], 'other') } } } },
    { name: 'credentials in a URL under a configuration name', resource: { Environment: { Variables: { DATABASE_URL: profile(64, 4.6, ['url-credentials']) } } } },
  ],
  notAssessed: [
    { name: 'variables could not be decrypted', resource: { Environment: { Error: { ErrorCode: 'KMSAccessDeniedException', Message: 'denied' } } } },
    { name: 'field gap', resource: { gaps: { Environment: { operation: 'lambda:ListFunctions', code: 'AccessDeniedException', message: 'denied' } } } },
  ],
};
