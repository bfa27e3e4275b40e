// One-file app: the device code flow through the client context and its two method modules
// (a public client that signs users in on another device, and nothing else).
import { acquireTokenByDeviceFlow, initiateDeviceFlow, publicContext } from '@authfold/client'

const ctx = publicContext({ clientId: 'app-id', authority: 'https://login.microsoftonline.com/organizations' })
export const signIn = async (show: (message: string) => void): Promise<string> => {
  if (ctx._tag === 'Left') throw new Error(ctx.left.message)
  const flow = await initiateDeviceFlow(ctx.right)(['User.Read'])()
  if (flow._tag === 'Left') throw new Error(flow.left.message)
  show(flow.right.message)
  const result = await acquireTokenByDeviceFlow(ctx.right)(flow.right)()
  if (result._tag === 'Left') throw new Error(result.left.message)
  return result.right.access_token
}
