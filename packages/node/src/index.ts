export * from './http/nodeHttpClient.js'
export * from './stores/fileStore.js'
export * from './stores/redisStore.js'
export * from './loopback/loopbackRedirect.js'
