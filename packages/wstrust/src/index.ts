/**
 * `@authfold/wstrust`: username and password sign-in for federated (ADFS) users, as MSAL
 * Python does it: MEX, WS-Trust 1.3 and 2005, SAML 1.1 and 2.0 bearer grants. Only an app
 * that hands `wsTrustFederation` to its client bundles this package and its XML parser.
 *
 * @module
 */
export * from './namespaces.js'
export * from './xml.js'
export * from './mex.js'
export * from './rst.js'
export * from './rstr.js'
export * from './federation.js'
