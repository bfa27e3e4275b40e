/**
 * @module
 */
import * as E from 'fp-ts/Either'
import type { AuthError, ClientAuth } from '@authfold/core'
import type { UserAuthResult } from '@authfold/grants'
import type { ClientContext } from '../context.js'
import { silentCall, silentPromise } from './acquireTokenSilentWithError.js'

/**
 * Acquires a token without user interaction, as MSAL Python's `acquire_token_silent`: the
 * result, or `undefined` both when the cache has nothing for this account and scopes and
 * when the refresh was refused (MSAL folds the error dict into `None`); use
 * `acquireTokenSilentWithError` to see why. Failures that are not an answer of the identity
 * provider (the network, a bad argument) still reject, as MSAL Python raises them.
 *
 * @example
 * ```ts
 * import type { PublicClient } from '@authfold/client'
 * import type { AuthResult } from '@authfold/grants'
 *
 * declare const app: PublicClient
 * declare const signInInteractively: () => Promise<AuthResult>
 * const [account] = await app.getAccounts()
 * const result = (account && (await app.acquireTokenSilent(['User.Read'], account))) ?? (await signInInteractively())
 * ```
 * @category methods
 * @since 0.1.0
 * @see MSAL Python `ClientApplication.acquire_token_silent`
 */
export const acquireTokenSilent = (ctx: ClientContext & { readonly credential?: ClientAuth }) => silentCall(ctx, refusedAsNothing)

/**
 * The Promise form of {@link acquireTokenSilent} (what the facades use): the same answers, a
 * cache hit answered with nothing built but its result.
 *
 * @category methods
 * @since 0.1.0
 * @see MSAL Python `ClientApplication.acquire_token_silent`
 */
export const acquireTokenSilentPromise = (ctx: ClientContext & { readonly credential?: ClientAuth }) => silentPromise(ctx, refusedAsNothing)

// MSAL folds the IdP's error answer into `None`; any other failure stays one
const refusedAsNothing = (e: AuthError): E.Either<AuthError, UserAuthResult | undefined> => (e._tag === 'ProtocolError' ? E.right(undefined) : E.left(e))
