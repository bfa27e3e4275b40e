// The suite as a Cloudflare Worker (workerd): a POST with the config as JSON runs it and
// answers with its events as they happen, one JSON line each (a streamed body, so the host
// sees the user code while the suite polls). A GET answers `ready`.
import { runSuite } from './suite.js'

export default {
  async fetch(request, _env, ctx) {
    if (request.method !== 'POST') return new Response('ready')
    const config = await request.json()
    const { readable, writable } = new TransformStream()
    const writer = writable.getWriter()
    const encoder = new TextEncoder()
    const emit = (event) => writer.write(encoder.encode(JSON.stringify(event) + '\n'))
    ctx.waitUntil(runSuite(config, emit).then(() => writer.close(), (e) => writer.abort(e)))
    return new Response(readable, { headers: { 'content-type': 'application/x-ndjson' } })
  },
}
