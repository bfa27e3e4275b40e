/**
 * Shared helpers of the msal-node interop scripts. Input is one JSON object on stdin
 * (never argv), output one JSON object on stdout; tokens appear only inside the
 * serialized cache, results carry a SHA-256 prefix of the access token instead.
 * Run with NODE_EXTRA_CA_CERTS pointing at the local IdP's CA.
 */
import { createHash } from 'node:crypto'

export const readInput = async () => {
  const chunks = []
  for await (const c of process.stdin) chunks.push(c)
  return JSON.parse(Buffer.concat(chunks).toString('utf8'))
}

export const writeOutput = (obj) => {
  process.stdout.write(JSON.stringify(obj))
}

export const tokenHash = (token) => createHash('sha256').update(token, 'utf8').digest('hex').slice(0, 16)

/** The authority options that keep msal-node off the network for instance discovery. */
export const authOptions = (cfg, clientId) => ({
  clientId,
  authority: cfg.authority,
  knownAuthorities: [cfg.host_port],
})

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
