// One-file app: a managed identity token with msal-node's ManagedIdentityApplication.
import { ManagedIdentityApplication } from '@azure/msal-node'

const app = new ManagedIdentityApplication()
export const token = async (): Promise<string> => (await app.acquireToken({ resource: 'https://management.azure.com' })).accessToken
