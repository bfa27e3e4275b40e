/**
 * Shared helpers of the msal-node interop scripts. Input is one JSON object on stdin
 * (never argv), output one JSON object on stdout; tokens appear only inside the
 * serialized cache, results carry a SHA-256 prefix of the access token instead.
 * Run with NODE_EXTRA_CA_CERTS pointing at the local IdP's CA.
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { request } from 'node:https'

export const readInput = async () => {
  const chunks = []
  for await (const c of process.stdin) chunks.push(c)
  return JSON.parse(Buffer.concat(chunks).toString('utf8'))
}

export const writeOutput = (obj) => {
  process.stdout.write(JSON.stringify(obj))
}

export const tokenHash = (token) => createHash('sha256').update(token, 'utf8').digest('hex').slice(0, 16)

/**
 * An msal-node `INetworkModule` that reaches the local IdP only, trusting its CA: a request
 * for one of `cfg.public_hosts` (the IdP's `publicHost` and its aliases, on 443) goes to the
 * IdP's 127.0.0.1 port with its Host header and TLS server name kept, so the IdP answers as
 * Entra does for that host; one for the IdP's own host goes there as is; any other is refused.
 */
export const idpNetworkClient = (cfg) => {
  const ca = readFileSync(cfg.ca_file, 'utf8')
  const [ip, port] = [cfg.host_port.slice(0, cfg.host_port.lastIndexOf(':')), Number(cfg.host_port.slice(cfg.host_port.lastIndexOf(':') + 1))]
  const publicHosts = cfg.public_hosts ?? []
  const send = (method, url, options = {}, timeout = 10_000) =>
    new Promise((resolve, reject) => {
      const u = new URL(url)
      const routed = u.protocol === 'https:' && u.port === '' && publicHosts.includes(u.hostname)
      if (!routed && u.host !== cfg.host_port) {
        reject(new Error(`The interop runs reach only the local IdP, not ${u.host}`))
        return
      }
      const body = method === 'POST' ? Buffer.from(String(options.body ?? ''), 'utf8') : undefined
      const headers = { ...(options.headers ?? {}), host: u.host, ...(body === undefined ? {} : { 'content-length': String(body.length) }) }
      const req = request({ host: ip, port, path: `${u.pathname}${u.search}`, method, ca, servername: routed ? u.hostname : '', headers, timeout }, (res) => {
        const chunks = []
        res.on('data', (c) => chunks.push(c))
        res.on('error', reject)
        res.on('end', () => {
          const flat = Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)]))
          try {
            resolve({ headers: flat, body: JSON.parse(Buffer.concat(chunks).toString('utf8')), status: res.statusCode ?? 0 })
          } catch (e) {
            reject(e)
          }
        })
      })
      req.on('timeout', () => req.destroy(new Error(`No answer from ${u.host} within ${timeout} ms`)))
      req.on('error', reject)
      req.end(body)
    })
  return {
    sendGetRequestAsync: (url, options, timeout) => send('GET', url, options, timeout),
    sendPostRequestAsync: (url, options) => send('POST', url, options),
  }
}

/**
 * The configuration of an application for the input `cfg`. For the local IdP's own host,
 * `knownAuthorities` keeps msal-node off instance discovery and msal-node's own HTTP is used
 * (trusting NODE_EXTRA_CA_CERTS); for an Entra authority (`cfg.public_hosts`), the
 * authority is left as an app on Entra has it and the HTTP goes through {@link idpNetworkClient}.
 */
export const appConfig = (cfg, clientId, auth = {}) =>
  cfg.public_hosts === undefined
    ? { auth: { clientId, authority: cfg.authority, knownAuthorities: [cfg.host_port], ...auth } }
    : { auth: { clientId, authority: cfg.authority, ...auth }, system: { networkClient: idpNetworkClient(cfg) } }

export const outcome = async (call, cachedSecrets = []) => {
  try {
    const r = await call()
    if (r === null || r === undefined) return { ok: false, none: true }
    return {
      ok: true,
      access_token_hash: tokenHash(r.accessToken),
      from_input_cache: cachedSecrets.includes(r.accessToken),
      from_cache: r.fromCache,
      has_id_token: typeof r.idToken === 'string' && r.idToken !== '',
      scope: r.scopes.join(' '),
    }
  } catch (e) {
    return { ok: false, error: e?.errorCode ?? String(e?.name ?? 'error'), message: String(e?.errorMessage ?? e?.message ?? '').slice(0, 300) }
  }
}
