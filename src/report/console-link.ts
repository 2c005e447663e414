// AWS console deep links for a result's resource, derived from its canonical ARN (design.md "Canonical ARNs").
// Works from the ARN rather than the resource kind so resolved findings (which carry no kind) get links too.
import type { Result } from '../model/index.js';

export type ConsoleLinkInput = Pick<Result, 'resourceArn' | 'region'>;

function consoleBase(partition: string, region: string | undefined): string {
  if (partition === 'aws-cn') return 'https://console.amazonaws.cn';
  if (partition === 'aws-us-gov') return 'https://console.amazonaws-us-gov.com';
  return region ? `https://${region}.console.aws.amazon.com` : 'https://console.aws.amazon.com';
}

// The CloudWatch console expects log group names URI-encoded twice with `%` written as `$25`
// (`/aws/lambda/f` → `$252Faws$252Flambda$252Ff`).
function logGroupFragment(name: string): string {
  return encodeURIComponent(encodeURIComponent(name)).replace(/%/g, '$');
}

/** A console URL for the result's resource; the region's console home when the ARN is of no known shape. */
export function consoleUrl(result: ConsoleLinkInput): string {
  const parts = result.resourceArn.split(':');
  const [, partition = 'aws', service = '', arnRegion = ''] = parts;
  const resource = parts.slice(5).join(':');
  const region = arnRegion || (result.region && result.region !== 'global' ? result.region : '');
  const base = consoleBase(partition, region || undefined);
  const r = encodeURIComponent(region);
  const q = `region=${r}`;
  const e = encodeURIComponent;

  if (parts[0] === 'arn' && parts.length >= 6) {
    switch (service) {
      case 'lambda': {
        const m = /^function:([^:]+)$/.exec(resource);
        if (m) return `${base}/lambda/home?${q}#/functions/${e(m[1]!)}`;
        break;
      }
      case 'apigateway': {
        const m = /^\/(restapis|apis)\/([^/]+)(\/stages\/[^/]+)?$/.exec(resource);
        if (!m) break;
        const id = e(m[2]!);
        if (m[1] === 'restapis') {
          return m[3]
            ? `${base}/apigateway/main/apis/${id}/stages?api=${id}&${q}`
            : `${base}/apigateway/main/apis/${id}/resources?api=${id}&${q}`;
        }
        return `${base}/apigateway/main/api-detail?api=${id}&${q}`;
      }
      case 'dynamodb': {
        const m = /^table\/([^/]+)$/.exec(resource);
        if (m) return `${base}/dynamodbv2/home?${q}#table?name=${e(m[1]!)}`;
        break;
      }
      case 'kinesis': {
        const m = /^stream\/([^/]+)$/.exec(resource);
        if (m) return `${base}/kinesis/home?${q}#/streams/details/${e(m[1]!)}/details`;
        break;
      }
      case 'sns':
        if (resource && !resource.includes(':')) return `${base}/sns/v3/home?${q}#/topic/${result.resourceArn}`;
        break;
      case 'logs': {
        const m = /^log-group:(.+?)(:\*)?$/.exec(resource);
        if (m) return `${base}/cloudwatch/home?${q}#logsV2:log-groups/log-group/${logGroupFragment(m[1]!)}`;
        break;
      }
      case 'cloudwatch': {
        const m = /^alarm:(.+)$/.exec(resource);
        if (m) return `${base}/cloudwatch/home?${q}#alarmsV2:alarm/${e(m[1]!)}`;
        break;
      }
      case 'iam': {
        // role/path/to/Name → the console addresses roles by name alone.
        const m = /^role\/(?:.*\/)?([^/]+)$/.exec(resource);
        if (m) return `${consoleBase(partition, undefined)}/iam/home#/roles/details/${e(m[1]!)}`;
        break;
      }
    }
  }
  return region ? `${base}/console/home?${q}` : `${base}/console/home`;
}
