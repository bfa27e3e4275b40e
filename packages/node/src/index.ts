export * from './http/nodeHttpClient.js'
export * from './stores/fileStore.js'
export * from './stores/redisStore.js'
