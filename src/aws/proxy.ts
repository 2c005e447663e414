// Corporate proxies: every AWS client (and so every collector, the state store and the sinks) goes through the proxy
// that the standard environment variables name — HTTPS_PROXY / https_proxy for https:// endpoints, HTTP_PROXY /
// http_proxy for http:// ones, NO_PROXY / no_proxy for the hosts that go direct — decided per request host, as curl
// and the AWS CLI decide (proxy-from-env). The SDK for JavaScript v3 reads none of them itself.
import { Agent as HttpAgent, type ClientRequest, type RequestOptions } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { Agent, type AgentConnectOpts } from 'agent-base';
import { HttpProxyAgent } from 'http-proxy-agent';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { getProxyForUrl } from 'proxy-from-env';

const PROXY_VARS = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy'];

/** Whether the environment names a proxy at all (without one, the SDK's own agents are used unchanged). */
export function proxyConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  return PROXY_VARS.some((v) => Boolean(env[v]));
}

/** Per request: the proxy the environment names for its URL, or a direct connection (keep-alive, as the SDK's). */
class EnvironmentProxyAgent extends Agent {
  private readonly direct: HttpAgent;
  private readonly viaProxy = new Map<string, HttpAgent>();
  constructor(private readonly secure: boolean) {
    super({ keepAlive: true });
    this.direct = secure ? new HttpsAgent({ keepAlive: true, maxSockets: 50 }) : new HttpAgent({ keepAlive: true, maxSockets: 50 });
  }

  override connect(req: ClientRequest, opts: AgentConnectOpts): HttpAgent {
    const scheme = this.secure ? 'https' : 'http';
    const host = (opts as RequestOptions).host ?? req.host;
    const url = `${scheme}://${host}:${(opts as RequestOptions).port ?? (this.secure ? 443 : 80)}${req.path}`;
    const proxy = getProxyForUrl(url);
    if (!proxy) return this.direct;
    let agent = this.viaProxy.get(proxy);
    if (!agent) {
      agent = this.secure ? new HttpsProxyAgent(proxy, { keepAlive: true }) : new HttpProxyAgent(proxy, { keepAlive: true });
      this.viaProxy.set(proxy, agent);
    }
    return agent;
  }

  override destroy(): void {
    this.direct.destroy();
    for (const a of this.viaProxy.values()) a.destroy();
    super.destroy();
  }
}

/** The agents of a client's request handler when a proxy is configured, else nothing (the SDK's defaults). */
export function proxyAgents(env: NodeJS.ProcessEnv = process.env): { httpAgent: HttpAgent; httpsAgent: HttpsAgent } | undefined {
  if (!proxyConfigured(env)) return undefined;
  return { httpAgent: new EnvironmentProxyAgent(false), httpsAgent: new EnvironmentProxyAgent(true) as unknown as HttpsAgent };
}
