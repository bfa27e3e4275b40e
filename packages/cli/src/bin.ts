#!/usr/bin/env node
/**
 * The `authfold` executable: {@link main} with the process's arguments, environment, files
 * and streams. The only module of the package that does work when loaded.
 *
 * @module
 */
import { readFile } from 'node:fs/promises'
import { main } from './main.js'

process.exitCode = await main(process.argv.slice(2), {
  env: process.env,
  readFile: (path) => readFile(path, 'utf8'),
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
})
