// proxy-from-env 2.1.0 ships no types; the one function proxy.ts uses.
declare module 'proxy-from-env' {
  /** The proxy URL for `url` from the `*_PROXY` and `NO_PROXY` variables, or '' for none. */
  export function getProxyForUrl(url: string | URL): string
}
