import { defineCheck, type CheckExamples } from '../../src/model/index.js';

const DEBUG_LEVELS = new Set(['TRACE', 'DEBUG']);

const check = defineCheck({
  id: 'lambda.debug-log-level',
  title: 'Lambda function logs at DEBUG or TRACE level',
  description:
    'Debug logging multiplies CloudWatch Logs ingestion cost and may write request data to logs. The lens (SERVCOST 2) asks to keep ' +
    'production logging at INFO and switch levels through configuration. Reads the advanced logging controls and the log-level ' +
    'environment variables LOG_LEVEL, POWERTOOLS_LOG_LEVEL and AWS_LAMBDA_LOG_LEVEL.',
  severity: 'LOW',
  pillar: 'COST',
  lens: ['SERVCOST 2'],
  lens2022: ['SERVCOST 1'],
  resourceKind: 'AwsLambdaFunction',
  uses: ['LoggingConfig', 'Environment'],
  cost: 'C',
  options: { environmentKeys: ['LOG_LEVEL', 'POWERTOOLS_LOG_LEVEL', 'AWS_LAMBDA_LOG_LEVEL'] },
  remediation: {
    text: 'Set the application log level to INFO or higher (LoggingConfig.ApplicationLogLevel, SystemLogLevel) and the log-level environment variables to INFO; raise them temporarily when debugging.',
    url: 'https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-advanced.html',
  },
  peers: {},
  evaluate(fn, ctx) {
    const reasons: string[] = [];
    const app = fn.LoggingConfig?.ApplicationLogLevel?.toUpperCase();
    const sys = fn.LoggingConfig?.SystemLogLevel?.toUpperCase();
    if (app && DEBUG_LEVELS.has(app)) reasons.push(`ApplicationLogLevel=${app}`);
    if (sys === 'DEBUG') reasons.push(`SystemLogLevel=${sys}`);
    const keys = new Set((ctx.options.environmentKeys as string[]).map((k) => k.toUpperCase()));
    const unreadable: string[] = [];
    for (const [key, profile] of Object.entries(fn.Environment?.Variables ?? {})) {
      if (!keys.has(key.toUpperCase())) continue;
      // The collector keeps the value of these keys unless it looked like a secret (then it is no log level).
      if (profile.value === undefined) unreadable.push(key);
      else if (DEBUG_LEVELS.has(profile.value.trim().toUpperCase())) reasons.push(`${key}=${profile.value.trim()}`);
    }
    if (reasons.length > 0) return ctx.fail(`Function ${fn.name} logs at debug level: ${reasons.join(', ')}.`, { settings: reasons });
    if (fn.Environment?.Error) {
      return ctx.notAssessed(`Environment of function ${fn.name} could not be read (${fn.Environment.Error.ErrorCode ?? 'error'}); log-level variables unknown.`);
    }
    return ctx.pass(
      `Function ${fn.name} does not log at debug level${unreadable.length > 0 ? ` (value of ${unreadable.join(', ')} not kept: not a log level)` : ''}.`,
    );
  },
});
export default check;

const env = (key: string, value: string) => ({ Variables: { [key]: { redacted: true as const, length: value.length, entropy: 2, patterns: [], value } } });

export const examples: CheckExamples<'AwsLambdaFunction'> = {
  pass: [
    { name: 'INFO everywhere', resource: { LoggingConfig: { LogFormat: 'JSON', ApplicationLogLevel: 'INFO', SystemLogLevel: 'WARN' }, Environment: env('LOG_LEVEL', 'info') } },
    { name: 'no logging config', resource: {} },
  ],
  fail: [
    { name: 'application DEBUG', resource: { LoggingConfig: { LogFormat: 'JSON', ApplicationLogLevel: 'DEBUG', SystemLogLevel: 'INFO' } } },
    { name: 'Powertools variable', resource: { Environment: env('POWERTOOLS_LOG_LEVEL', 'debug') } },
  ],
  notAssessed: [
    { name: 'environment not decryptable', resource: { Environment: { Error: { ErrorCode: 'KMSAccessDeniedException', Message: 'denied' } } } },
    { name: 'gap', resource: { gaps: { Environment: { operation: 'lambda:ListFunctions', code: 'AccessDeniedException', message: 'denied' } } } },
  ],
};
