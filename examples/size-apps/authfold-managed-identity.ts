// One-file app: a managed identity token (IMDS, or the source the environment names) through
// createManagedIdentityClient; no user-flow code.
import { createManagedIdentityClient } from '@authfold/client'
import { systemAssignedManagedIdentity } from '@authfold/grants'

const app = createManagedIdentityClient({ managedIdentity: systemAssignedManagedIdentity() })
export const token = async (): Promise<string> => (await app.acquireTokenForClient('https://management.azure.com')).access_token
