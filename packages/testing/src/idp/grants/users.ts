/**
 * The IdP's users and the refresh tokens it issued to them: a per-server directory
 * (mutable, owned by one server instance, like the fault queue).
 *
 * Refresh tokens are opaque random strings, as Entra's are. Redeeming one issues a new
 * one (rotation) and, as with Entra, does not revoke the old one: it stays valid until
 * its inactivity window (90 days unless the client says otherwise) runs out.
 *
 * @module
 */
import { createHash, randomBytes } from 'node:crypto'

/**
 * What `registerUser` takes: a cloud-only (managed) user of the IdP's tenant.
 *
 * @category idp
 * @since 0.1.0
 */
export interface UserRegistration {
  /** The UPN, e.g. `alice@authfold.test` (matched case-insensitively). */
  readonly username: string
  readonly password: string
  /** The user's object id (`oid`). Default: derived from the username. */
  readonly objectId?: string
  /** The display name (`name`). Default: the part of the username before `@`. */
  readonly name?: string
  /** The user's home tenant (GUID). Default: the IdP's tenant. */
  readonly tenantId?: string
}

/**
 * A registered user as the server holds it.
 *
 * @category idp
 * @since 0.1.0
 */
export interface RegisteredUser {
  readonly username: string
  readonly password: string
  readonly objectId: string
  readonly name: string
  /** The home tenant (GUID): the `utid` of `client_info` wherever the user signs in. */
  readonly tenantId: string
}

/**
 * What the server remembers about a refresh token it issued.
 *
 * @category idp
 * @since 0.1.0
 */
export interface RefreshTokenRecord {
  readonly clientId: string
  /** `'1'` when issued to a FOCI family member: every member may redeem it. */
  readonly familyId?: string
  /** The user's object id. */
  readonly objectId: string
  readonly tenantId: string
  /** The scopes asked for when it was issued (used when a redemption names none). */
  readonly scopes: ReadonlyArray<string>
  /** Epoch ms. */
  readonly issuedAt: number
  /** Epoch ms after which it is refused (AADSTS700082). */
  readonly expiresAt: number
}

/**
 * The per-server directory of users and refresh tokens.
 *
 * @category idp
 * @since 0.1.0
 */
export interface UserDirectory {
  /** Adds or replaces a user (keyed by lower-cased username). */
  readonly register: (registration: UserRegistration) => RegisteredUser
  readonly remove: (username: string) => void
  /** Case-insensitive. */
  readonly find: (username: string) => RegisteredUser | undefined
  readonly findByObjectId: (objectId: string) => RegisteredUser | undefined
  /** Records a refresh token and returns its opaque value. */
  readonly issueRefreshToken: (record: RefreshTokenRecord) => string
  readonly refreshToken: (token: string) => RefreshTokenRecord | undefined
  /** Revokes every refresh token of a user (a password reset, a sign-out everywhere). */
  readonly revokeRefreshTokens: (objectId: string) => void
  /** Invites a user into another tenant as a guest (B2B); undefined when no such user. */
  readonly inviteGuest: (username: string, tenantId: string) => RegisteredUser | undefined
  /**
   * The user's object id in a tenant: their own in the home tenant, the guest object's
   * (derived) where they were invited, `undefined` where they are neither.
   */
  readonly objectIdIn: (user: RegisteredUser, tenantId: string) => string | undefined
}

/**
 * A GUID-shaped object id derived from a seed (stable across runs).
 *
 * @category idp
 * @since 0.1.0
 */
export const derivedObjectId = (seed: string): string => {
  const h = createHash('sha256').update(seed).digest('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`
}

/**
 * Makes an empty directory.
 *
 * @category idp
 * @since 0.1.0
 */
export const createUserDirectory = (tenantId: string): UserDirectory => {
  const users = new Map<string, RegisteredUser>()
  const tokens = new Map<string, RefreshTokenRecord>()
  const guests = new Set<string>()
  const guestKey = (objectId: string, tenant: string): string => `${objectId}\u0000${tenant.toLowerCase()}`
  return {
    register: (r) => {
      const user: RegisteredUser = {
        username: r.username,
        password: r.password,
        objectId: r.objectId ?? derivedObjectId(`${r.tenantId ?? tenantId}:user:${r.username.toLowerCase()}`),
        name: r.name ?? r.username.split('@')[0] ?? r.username,
        tenantId: r.tenantId ?? tenantId,
      }
      users.set(r.username.toLowerCase(), user)
      return user
    },
    remove: (username) => {
      users.delete(username.toLowerCase())
    },
    find: (username) => users.get(username.toLowerCase()),
    findByObjectId: (objectId) => [...users.values()].find((u) => u.objectId === objectId),
    issueRefreshToken: (record) => {
      // Entra's refresh tokens are opaque; this one looks like them (`1.A…`) and carries nothing.
      const token = `1.A${randomBytes(96).toString('base64url')}`
      tokens.set(token, record)
      return token
    },
    refreshToken: (token) => tokens.get(token),
    revokeRefreshTokens: (objectId) => {
      for (const [k, r] of tokens) if (r.objectId === objectId) tokens.delete(k)
    },
    inviteGuest: (username, tenant) => {
      const user = users.get(username.toLowerCase())
      if (user !== undefined) guests.add(guestKey(user.objectId, tenant))
      return user
    },
    objectIdIn: (user, tenant) =>
      tenant.toLowerCase() === user.tenantId.toLowerCase()
        ? user.objectId
        : guests.has(guestKey(user.objectId, tenant))
          ? derivedObjectId(`${tenant.toLowerCase()}:guest:${user.objectId}`)
          : undefined,
  }
}
