// Wire formats of the simulated AWS: JSON (awsJson 1.0/1.1, REST-JSON) and XML (AWS query, EC2 query) answers and
// errors, shaped as the installed SDK's protocol parsers expect them.

export type Protocol = 'json1.0' | 'json1.1' | 'rest-json' | 'query' | 'ec2';

export interface SimResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: Uint8Array;
}

let requestSeq = 0;
const requestId = () => `00000000-0000-4000-8000-${(++requestSeq).toString(16).padStart(12, '0')}`;

const CONTENT_TYPE: Record<Protocol, string> = {
  'json1.0': 'application/x-amz-json-1.0',
  'json1.1': 'application/x-amz-json-1.1',
  'rest-json': 'application/json',
  query: 'text/xml',
  ec2: 'text/xml;charset=UTF-8',
};

function respond(protocol: Protocol, statusCode: number, text: string, headers: Record<string, string> = {}): SimResponse {
  return {
    statusCode,
    headers: { 'content-type': CONTENT_TYPE[protocol], 'x-amzn-requestid': requestId(), ...headers },
    body: Buffer.from(text),
  };
}

export function jsonAnswer(protocol: Protocol, value: unknown): SimResponse {
  return respond(protocol, 200, JSON.stringify(value));
}

/** A map serialized as the query protocol does: `<entry><key/><value/></entry>`. */
export class XmlMap {
  constructor(readonly entries: Record<string, string | number>) {}
}

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function toXml(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (value instanceof XmlMap) {
    return Object.entries(value.entries).map(([k, v]) => `<entry><key>${escapeXml(k)}</key><value>${escapeXml(String(v))}</value></entry>`).join('');
  }
  if (Array.isArray(value)) return value.map((v) => `<member>${toXml(v)}</member>`).join('');
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `<${k}>${toXml(v)}</${k}>`)
      .join('');
  }
  return escapeXml(String(value));
}

/** `<OpResponse xmlns><OpResult>...</OpResult><ResponseMetadata/></OpResponse>` */
export function queryAnswer(operation: string, xmlns: string, result: Record<string, unknown> | undefined): SimResponse {
  const inner = result ? `<${operation}Result>${toXml(result)}</${operation}Result>` : '';
  return respond('query', 200, `<${operation}Response xmlns="${xmlns}">${inner}<ResponseMetadata><RequestId>${requestId()}</RequestId></ResponseMetadata></${operation}Response>`);
}

/** EC2 answers carry the result members directly under `<OpResponse>`. */
export function ec2Answer(operation: string, result: Record<string, unknown> | undefined): SimResponse {
  return respond('ec2', 200, `<${operation}Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>${requestId()}</requestId>${toXml(result ?? {})}</${operation}Response>`);
}

export interface ErrorSpec {
  status: number;
  code: string;
  message: string;
  /** awsJson services with AWS-query-compatible errors (CloudWatch) also send `x-amzn-query-error`. */
  queryCompatible?: boolean;
}

export function errorAnswer(protocol: Protocol, e: ErrorSpec): SimResponse {
  switch (protocol) {
    case 'rest-json':
      return respond(protocol, e.status, JSON.stringify({ Type: 'User', message: e.message }), { 'x-amzn-errortype': e.code });
    case 'json1.0':
    case 'json1.1':
      return respond(protocol, e.status, JSON.stringify({ __type: e.code, message: e.message }), e.queryCompatible ? { 'x-amzn-query-error': `${e.code};Sender` } : {});
    case 'query':
      return respond(protocol, e.status, `<ErrorResponse><Error><Type>Sender</Type><Code>${e.code}</Code><Message>${escapeXml(e.message)}</Message></Error><RequestId>${requestId()}</RequestId></ErrorResponse>`);
    case 'ec2':
      return respond(protocol, e.status, `<Response><Errors><Error><Code>${e.code}</Code><Message>${escapeXml(e.message)}</Message></Error></Errors><RequestID>${requestId()}</RequestID></Response>`);
  }
}
