import type { Plugin } from 'rollup'
/** A rollup plugin compiling TypeScript with `ts.transpileModule`; see rollup-ts.mjs. */
export declare const typescriptTranspile: (options?: { readonly workspaceSources?: boolean }) => Plugin
