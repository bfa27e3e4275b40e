/**
 * A small web app (Koa) that signs users in with the authorization code flow through the
 * confidential facade: a server-side session (a signed cookie naming it), `/login` starting
 * the flow (kept in the session), `/callback` completing it (`query` by default: with
 * `form_post` the IdP's page POSTs across sites, and a browser sends a `SameSite=Lax`
 * session cookie with that POST only when the app serves HTTPS with `SameSite=None; Secure`),
 * `/profile` calling the protected `/api/me` with the access token, and `/api/me` checking
 * that bearer token (signature against the IdP's keys, issuer, audience, scope).
 *
 * @module
 */
import { randomBytes } from 'node:crypto'
import type { Server } from 'node:http'
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
    ctx.cookies.set('sid', newId, { signed: true, httpOnly: true, sameSite: 'lax' })
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
      const answer = await fetch(`${origin}/api/me`, { headers: { authorization: `Bearer ${session.accessToken}` } })
      ctx.status = answer.status
      ctx.body = page(`<pre id="me">${escapeHtml(await answer.text())}</pre>`)
      return
    }
    ctx.status = 404
    ctx.body = page('<p>Not found</p>')
  })

  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s))
  })
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('no port')
  origin = `http://127.0.0.1:${address.port}`
  return {
    url: origin,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

