/**
 * `.pfx` files made at test time by the real `openssl pkcs12 -export`, in the legacy and the
 * current encryptions, with a CA -> intermediate -> leaf chain, and the expected values
 * (thumbprints, DER) taken from `openssl x509`, not from our own code.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export const PASSPHRASE = 'correct horse battery'
export const NON_ASCII_PASSPHRASE = 'pässwörd-日本'
export const SUBJECT_NAME = 'pfx-app.authfold.test'

export interface PfxFiles {
  readonly dir: string
  /** The file of each kind (see {@link makePfxFiles}). */
  readonly path: (name: PfxName) => string
  readonly bytes: (name: PfxName) => Uint8Array
  readonly leafPem: string
  readonly rootPem: string
  /** DER of the leaf and the intermediate, base64 (what `x5c` must carry). */
  readonly leafB64: string
  readonly intermediateB64: string
  /** `openssl x509 -fingerprint` of the leaf, hex upper-case without colons. */
  readonly leafSha256: string
  readonly leafSha1: string
  /** What `openssl pkcs12 -info` says of the files' encryption (the proof of what we test). */
  readonly info: (name: PfxName) => string
  readonly cleanup: () => void
}

export type PfxName =
  | 'modern' // OpenSSL 3 default: PBES2 / PBKDF2-HMAC-SHA256 / AES-256-CBC, HMAC-SHA256 MAC
  | 'legacy' // -legacy: key PBE-SHA1-3DES, certificates PBE-SHA1-RC2-40, HMAC-SHA1 MAC
  | 'tripleDes' // -certpbe PBE-SHA1-3DES -keypbe PBE-SHA1-3DES -macalg sha1
  | 'chain' // leaf + intermediate, current encryption
  | 'legacyChain' // leaf + intermediate, legacy encryption
  | 'emptyPassphrase' // -passout pass: (an empty password)
  | 'unencrypted' // -keypbe NONE -certpbe NONE -nomac
  | 'nonAscii' // a non-ASCII passphrase, legacy encryption
  | 'noKey' // -nokeys: certificates only

const openssl = (cwd: string, args: ReadonlyArray<string>): string =>
  execFileSync('openssl', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 20_000 })

const fingerprint = (cwd: string, file: string, alg: string): string =>
  (/=([0-9A-F:]+)/.exec(openssl(cwd, ['x509', '-in', file, '-noout', '-fingerprint', `-${alg}`]))?.[1] ?? '').replace(/:/g, '')

const derB64 = (cwd: string, file: string): string => {
  openssl(cwd, ['x509', '-in', file, '-outform', 'DER', '-out', `${file}.der`])
  return readFileSync(join(cwd, `${file}.der`)).toString('base64')
}

/** Makes a root CA, an intermediate CA, a leaf (RSA 2048) and the `.pfx` files. */
export const makePfxFiles = (): PfxFiles => {
  const dir = mkdtempSync(join(tmpdir(), 'authfold-pfx-'))
  const run = (...args: ReadonlyArray<string>) => openssl(dir, args)
  writeFileSync(join(dir, 'ca.ext'), 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n')
  writeFileSync(join(dir, 'leaf.ext'), 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n')
  run('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'root.key', '-out', 'root.pem', '-days', '2', '-subj', '/CN=authfold test root', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign')
  run('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'inter.key', '-out', 'inter.csr', '-subj', '/CN=authfold test intermediate')
  run('x509', '-req', '-in', 'inter.csr', '-CA', 'root.pem', '-CAkey', 'root.key', '-CAcreateserial', '-out', 'inter.pem', '-days', '2', '-extfile', 'ca.ext')
  run('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', `/CN=${SUBJECT_NAME}`)
  run('x509', '-req', '-in', 'leaf.csr', '-CA', 'inter.pem', '-CAkey', 'inter.key', '-CAcreateserial', '-out', 'leaf.pem', '-days', '2', '-extfile', 'leaf.ext')
  const base = ['pkcs12', '-export', '-inkey', 'leaf.key', '-in', 'leaf.pem', '-name', 'authfold test']
  const pass = ['-passout', `pass:${PASSPHRASE}`]
  run(...base, ...pass, '-out', 'modern.pfx')
  run(...base, ...pass, '-legacy', '-out', 'legacy.pfx')
  run(...base, ...pass, '-certpbe', 'PBE-SHA1-3DES', '-keypbe', 'PBE-SHA1-3DES', '-macalg', 'sha1', '-out', 'tripleDes.pfx')
  run(...base, ...pass, '-certfile', 'inter.pem', '-out', 'chain.pfx')
  run(...base, ...pass, '-certfile', 'inter.pem', '-legacy', '-out', 'legacyChain.pfx')
  run(...base, '-passout', 'pass:', '-out', 'emptyPassphrase.pfx')
  run(...base, '-passout', 'pass:', '-keypbe', 'NONE', '-certpbe', 'NONE', '-nomac', '-out', 'unencrypted.pfx')
  writeFileSync(join(dir, 'nonascii.pass'), NON_ASCII_PASSPHRASE)
  run(...base, '-passout', 'file:nonascii.pass', '-legacy', '-out', 'nonAscii.pfx')
  run('pkcs12', '-export', '-nokeys', '-in', 'leaf.pem', ...pass, '-out', 'noKey.pfx')
  const path = (name: PfxName) => join(dir, `${name}.pfx`)
  return {
    dir,
    path,
    bytes: (name) => new Uint8Array(readFileSync(path(name))),
    leafPem: readFileSync(join(dir, 'leaf.pem'), 'utf8'),
    rootPem: readFileSync(join(dir, 'root.pem'), 'utf8'),
    leafB64: derB64(dir, 'leaf.pem'),
    intermediateB64: derB64(dir, 'inter.pem'),
    leafSha256: fingerprint(dir, 'leaf.pem', 'sha256'),
    leafSha1: fingerprint(dir, 'leaf.pem', 'sha1'),
    info: (name) => {
      const passin = name === 'emptyPassphrase' || name === 'unencrypted' ? 'pass:' : name === 'nonAscii' ? 'file:nonascii.pass' : `pass:${PASSPHRASE}`
      const r = spawnSync('openssl', ['pkcs12', '-info', '-noout', '-legacy', '-in', path(name), '-passin', passin], { cwd: dir, encoding: 'utf8', timeout: 20_000 })
      return `${r.stdout}${r.stderr}`
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  }
}
