// proxy-from-env ships no types: the one function we use.
declare module 'proxy-from-env' {
  /** The proxy URL the environment names for `url` (HTTPS_PROXY, HTTP_PROXY, ALL_PROXY, honouring NO_PROXY), or ''. */
  export function getProxyForUrl(url: string): string;
}
