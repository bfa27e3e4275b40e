import { describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { ACTION_13, ACTION_2005, type WsTrustAction } from './namespaces.js'
import { buildRst, escapeXml, rstRequest, wsuTime } from './rst.js'
import { parseXml } from './xml.js'

const NOW = Date.UTC(2026, 10, 29, 18, 0, 5, 789)
const ID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301'

// MSAL Python 1.21's own _build_rst, with its uuid and clock pinned.
const msalRst = (username: string, password: string, address: string, action: string): string =>
  execFileSync(
    '/usr/bin/python3',
    [
      '-c',
      `import sys, uuid, datetime
import msal.wstrust_request as w
class D(datetime.datetime):
    @classmethod
    def utcnow(cls): return datetime.datetime(2026, 11, 29, 18, 0, 5, 789000)
w.datetime = D
w.uuid.uuid4 = lambda: uuid.UUID('${ID}')
sys.stdout.write(w._build_rst(sys.argv[1], sys.argv[2], 'urn:federation:MicrosoftOnline', sys.argv[3], sys.argv[4]))`,
      username,
      password,
      address,
      action,
    ],
    { encoding: 'utf8', timeout: 20_000 },
  )

describe('buildRst', () => {
  it.each([
    ['WS-Trust 1.3', ACTION_13 as WsTrustAction, 'https://sts.test/adfs/services/trust/13/usernamemixed'],
    ['WS-Trust 2005', ACTION_2005 as WsTrustAction, 'https://sts.test/adfs/services/trust/2005/usernamemixed'],
  ])('%s: character for character the envelope MSAL Python 1.21 builds', (_, action, address) => {
    const password = `p&w<d>"'x`
    const ours = buildRst({ endpoint: { address, action }, username: 'jane@fabrikam.test', password, audience: 'urn:federation:MicrosoftOnline', messageId: ID, nowMs: NOW })
    expect(ours).toBe(msalRst('jane@fabrikam.test', password, address, action))
    expect(ours).toContain('<wsu:Created>2026-11-29T18:00:05Z</wsu:Created>')
    expect(ours).toContain('<wsu:Expires>2026-11-29T18:10:05Z</wsu:Expires>')
    expect(ours).toContain('<wsse:Password>p&amp;w&lt;d&gt;&quot;&apos;x</wsse:Password>')
  })

  it('strict in what it sends: any username or password stays well-formed and reads back as given', () => {
    for (const username of ['a<b>&"\'@x.test', ']]>@x', 'plain@x.test']) {
      const xml = buildRst({ endpoint: { address: 'https://s/13/usernamemixed', action: ACTION_13 }, username, password: username, audience: 'urn:a&b', messageId: ID, nowMs: NOW })
      const r = parseXml(xml)
      expect(r._tag).toBe('Right')
      expect(xml).toContain(`<wsse:Username>${escapeXml(username)}</wsse:Username>`)
    }
  })

  it('is posted with the SOAP 1.2 content type and the SOAPAction header', () => {
    const r = rstRequest({ endpoint: { address: 'https://s/13/usernamemixed', action: ACTION_13 }, username: 'u', password: 'p', audience: 'a', messageId: ID, nowMs: NOW })
    expect(r.headers).toEqual({ 'Content-type': 'application/soap+xml; charset=utf-8', SOAPAction: ACTION_13 })
    expect(r.method).toBe('POST')
    expect(wsuTime(0)).toBe('1970-01-01T00:00:00Z')
  })
})
