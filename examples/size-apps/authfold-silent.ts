// One-file app: a signed-in user's token from the cache, refreshed when needed, through the
// client context and two method modules (getAccounts, acquireTokenSilent).
import { acquireTokenSilent, getAccounts, publicContext } from '@authfold/client'

const ctx = publicContext({ clientId: 'app-id', authority: 'https://login.microsoftonline.com/organizations' })
export const token = async (username: string): Promise<string | undefined> => {
  if (ctx._tag === 'Left') throw new Error(ctx.left.message)
  const accounts = await getAccounts(ctx.right)(username)()
  if (accounts._tag === 'Left') throw new Error(accounts.left.message)
  const [account] = accounts.right
  if (account === undefined) return undefined
  const result = await acquireTokenSilent(ctx.right)(['User.Read'], account)()
  if (result._tag === 'Left') throw new Error(result.left.message)
  return result.right?.access_token
}
