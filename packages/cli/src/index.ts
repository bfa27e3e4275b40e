/**
 * `@authfold/cli`: the `authfold` command (`authfold token ...`) and the functions it is made
 * of, for apps that want to run it themselves.
 *
 * @module
 */
export * from './args.js'
export * from './redact.js'
export * from './main.js'
