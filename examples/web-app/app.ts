/**
 * A small web app (Koa) that signs users in with the authorization code flow through the
 * confidential facade: a server-side session (a signed cookie naming it), `/login` starting
 * the flow (kept in the session), `/callback` completing it, `/profile` calling the
 * protected `/api/me` with the access token, and `/api/me` checking that bearer token
 * (signature against the IdP's keys, issuer, audience, scope).
 *
 * The redirect comes back as `query` (a top-level GET: a `SameSite=Lax` session cookie goes
 * with it) or as `form_post` (the IdP's page POSTs the code across sites: a browser sends the
 * session cookie with that POST only if it is `SameSite=None; Secure`, and `Secure` cookies
 * need HTTPS). So with `tls` the app serves HTTPS and its cookie is `SameSite=None; Secure`;
 * without, HTTP and `SameSite=Lax`, fit for `query` only (see README.md).
 *
 * @module
 */
import { randomBytes } from 'node:crypto'
import * as http from 'node:http'
import * as https from 'node:https'
import Koa from 'koa'
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose'
import { createConfidentialClient, type ConfidentialClientConfig } from '@authfold/client'
import type { AuthCodeFlow } from '@authfold/grants'

/** What the app keeps per browser session (on the server). */
interface Session {
  flow?: AuthCodeFlow
  user?: { readonly name: string; readonly username: string }
  accessToken?: string
}

/** Configuration of {@link startWebApp}. */
export interface WebAppConfig {
  /** The confidential client's configuration (client id, authority, credential, http). */
  readonly client: ConfidentialClientConfig
  /** The IdP's public keys, the issuer and the API's audience: what `/api/me` checks. */
  readonly api: { readonly jwks: JSONWebKeySet; readonly issuer: string; readonly audience: string; readonly scope: string }
  readonly responseMode?: 'query' | 'form_post'
  /**
   * Serve HTTPS at `https://localhost:<port>` with this key and certificate (PEM), the session
   * cookie `SameSite=None; Secure` (what `form_post` needs). `ca` is the CA the app trusts when
   * it calls its own API. Without it: HTTP at `http://127.0.0.1:<port>`, the cookie `SameSite=Lax`.
   */
  readonly tls?: { readonly key: string; readonly cert: string; readonly ca?: string }
}

/** A running web app. */
export interface WebApp {
  readonly url: string
  readonly stop: () => Promise<void>
}

const page = (body: string): string => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>authfold web app</title></head><body>${body}</body></html>`
const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

const readForm = async (ctx: Koa.Context): Promise<Record<string, string>> => {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > 64 * 1024) break
    chunks.push(chunk)
  }
  return Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')))
}

const firstValues = (q: Koa.Context['query']): Record<string, string> =>
  Object.fromEntries(Object.entries(q).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v]] : Array.isArray(v) && typeof v[0] === 'string' ? [[k, v[0]]] : [])))

/** GET `url` with a bearer token (over HTTPS trusting `ca` when given): the status and body. */
const getWithToken = (url: string, token: string, ca: string | undefined): Promise<{ readonly status: number; readonly body: string }> =>
  new Promise((resolve, reject) => {
    const get = url.startsWith('https:') ? https.get : http.get
    const req = get(url, { headers: { authorization: `Bearer ${token}` }, timeout: 5_000, ...(ca === undefined ? {} : { ca }) }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 502, body: Buffer.concat(chunks).toString('utf8') }))
      res.on('error', reject)
    })
    req.on('timeout', () => req.destroy(new Error('the API did not answer within 5 s')))
    req.on('error', reject)
  })

/** Starts the web app on 127.0.0.1 (a free port). */
export const startWebApp = async (config: WebAppConfig): Promise<WebApp> => {
  const msal = createConfidentialClient(config.client)
  const sessions = new Map<string, Session>()
  const app = new Koa()
  app.keys = [randomBytes(32).toString('base64url')]
  let origin = ''

  const sessionOf = (ctx: Koa.Context): Session => {
    const id = ctx.cookies.get('sid', { signed: true })
    const found = id === undefined ? undefined : sessions.get(id)
    if (found !== undefined) return found
    const fresh: Session = {}
    const newId = randomBytes(24).toString('base64url')
    sessions.set(newId, fresh)
    // form_post needs the cookie on a cross-site POST: SameSite=None, which browsers take only with Secure (HTTPS).
    ctx.cookies.set('sid', newId, config.tls === undefined ? { signed: true, httpOnly: true, sameSite: 'lax' } : { signed: true, httpOnly: true, sameSite: 'none', secure: true })
    return fresh
  }

  /** The protected API: a bearer token signed by the IdP, for this API, with its scope. */
  const me = async (ctx: Koa.Context): Promise<void> => {
    const token = /^Bearer (\S+)$/.exec(ctx.get('authorization'))?.[1]
    try {
      if (token === undefined) throw new Error('no bearer token')
      const { payload } = await jwtVerify(token, createLocalJWKSet(config.api.jwks), { issuer: config.api.issuer, audience: config.api.audience })
      if (!String(payload['scp'] ?? '').split(' ').includes(config.api.scope)) throw new Error('scope missing')
      ctx.type = 'application/json'
      ctx.body = JSON.stringify({ name: payload['name'], username: payload['preferred_username'], scp: payload['scp'] })
    } catch {
      ctx.status = 401
      ctx.set('www-authenticate', 'Bearer')
      ctx.body = ''
    }
  }

  app.use(async (ctx) => {
    if (ctx.path === '/api/me') return me(ctx)
    const session = sessionOf(ctx)
    ctx.type = 'text/html'
    if (ctx.path === '/' && ctx.method === 'GET') {
      ctx.body = page(
        session.user === undefined
          ? '<p id="status">Not signed in.</p><a id="login" href="/login">Sign in</a>'
          : `<p id="status">Signed in as ${escapeHtml(session.user.username)} (${escapeHtml(session.user.name)})</p><a id="profile" href="/profile">Profile</a>`,
      )
      return
    }
    if (ctx.path === '/login' && ctx.method === 'GET') {
      const flow = await msal.te.initiateAuthCodeFlow([`${config.api.audience}/${config.api.scope}`], {
        redirectUri: `${origin}/callback`,
        responseMode: config.responseMode ?? 'query',
      })()
      if (flow._tag === 'Left') {
        ctx.status = 500
        ctx.body = page(`<p id="error">${escapeHtml(flow.left.message)}</p>`)
        return
      }
      session.flow = flow.right
      ctx.redirect(flow.right.auth_uri)
      return
    }
    if (ctx.path === '/callback') {
      const params = ctx.method === 'POST' ? await readForm(ctx) : firstValues(ctx.query)
      const flow = session.flow
      delete session.flow
      const result = await msal.te.acquireTokenByAuthCodeFlow(flow ?? ({} as AuthCodeFlow), params)()
      if (result._tag === 'Left') {
        ctx.status = 400
        ctx.body = page(`<p id="error">${escapeHtml(result.left._tag)}: ${escapeHtml(result.left.message)}</p><a href="/login">Try again</a>`)
        return
      }
      const claims = result.right.id_token_claims ?? {}
      session.user = { name: String(claims['name'] ?? ''), username: String(claims['preferred_username'] ?? '') }
      session.accessToken = result.right.access_token
      ctx.redirect('/')
      return
    }
    if (ctx.path === '/profile' && ctx.method === 'GET') {
      if (session.accessToken === undefined) return ctx.redirect('/login')
      const answer = await getWithToken(`${origin}/api/me`, session.accessToken, config.tls?.ca)
      ctx.status = answer.status
      ctx.body = page(`<pre id="me">${escapeHtml(answer.body)}</pre>`)
      return
    }
    ctx.status = 404
    ctx.body = page('<p>Not found</p>')
  })

  const server: http.Server | https.Server =
    config.tls === undefined ? http.createServer(app.callback()) : https.createServer({ key: config.tls.key, cert: config.tls.cert }, app.callback())
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('no port')
  // Over HTTPS the app is https://localhost (its certificate's name), another site than the IdP's https://127.0.0.1.
  origin = config.tls === undefined ? `http://127.0.0.1:${address.port}` : `https://localhost:${address.port}`
  return {
    url: origin,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

