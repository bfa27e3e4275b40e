export * from './http/nodeHttpClient.js'
