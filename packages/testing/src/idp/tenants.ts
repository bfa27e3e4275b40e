/**
 * The IdP's tenants: its own (the default) and any added with `addTenant`, each a GUID and
 * a verified domain usable as the authority's tenant segment.
 *
 * @module
 */
import { resolveTenantSegment } from './discovery.js'
import type { TenantMatch } from './types.js'

/**
 * A tenant: its GUID and one verified domain.
 *
 * @category idp
 * @since 0.1.0
 */
export interface Tenant {
  readonly tenantId: string
  readonly tenantDomain: string
}

/**
 * The per-server tenant list (mutable, owned by one server instance).
 *
 * @category idp
 * @since 0.1.0
 */
export interface TenantDirectory {
  /** Adds (or replaces) a tenant; the server then answers its discovery and token endpoints. */
  readonly add: (tenant: Tenant) => Tenant
  /** The tenant a path segment names: a GUID or domain of any tenant, or `common`/`organizations`/`consumers` (the default tenant for issuing). */
  readonly resolve: (segment: string) => TenantMatch | undefined
}

/**
 * Makes a tenant directory holding the default tenant.
 *
 * @category idp
 * @since 0.1.0
 */
export const createTenantDirectory = (home: Tenant): TenantDirectory => {
  const extra = new Map<string, Tenant>()
  return {
    add: (t) => {
      extra.set(t.tenantId.toLowerCase(), t)
      return t
    },
    resolve: (segment) => {
      const own = resolveTenantSegment(home.tenantId, home.tenantDomain)(segment)
      if (own !== undefined) return own
      for (const t of extra.values()) {
        const m = resolveTenantSegment(t.tenantId, t.tenantDomain)(segment)
        if (m !== undefined && !m.multiTenant) return m
      }
      return undefined
    },
  }
}
