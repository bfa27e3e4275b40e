/**
 * `pnpm example <name>` runs one example of this folder; `pnpm example` lists them. Each
 * example starts the local identity provider itself, prints a short result (never a token)
 * and exits 0 when it got what it shows.
 */

/** The examples, by name, with what each shows. */
export const examples: Readonly<Record<string, string>> = {
  'client-secret': 'client credentials with a client secret (a daemon)',
  'client-certificate': 'client credentials with a certificate (a signed client assertion)',
  'auth-code': 'authorization code with PKCE (sign-in by signInWithoutBrowser)',
  'device-code': 'device code flow (a CLI)',
  'username-password': 'username and password, a managed and a federated (AD FS) user',
  'refresh-token': 'redeeming a refresh token the app already holds',
  'on-behalf-of': 'on-behalf-of (a middle-tier API calling a downstream API)',
  'user-fic': 'user federated identity credential (an agent acting as its user)',
  silent: 'the silent flow: cached token, then forceRefresh',
  'managed-identity': 'managed identity through the IMDS simulator',
  'ssh-certificate': 'an SSH certificate (token_type=ssh-cert)',
}

const name = process.argv[2]
if (name !== undefined && Object.prototype.hasOwnProperty.call(examples, name)) {
  await import(`./${name}.js`)
} else {
  if (name !== undefined) console.error(`No example named ${name}.`)
  console.log('Usage: pnpm example <name>\n')
  for (const [n, what] of Object.entries(examples)) console.log(`  ${n.padEnd(20)} ${what}`)
  if (name !== undefined) process.exitCode = 1
}
