// Copies the declarations tsc wrote to .tmp/types/<pkg>/src into packages/<pkg>/dist.
import { cpSync, existsSync, readdirSync } from 'node:fs'

for (const name of readdirSync('.tmp/types')) {
  const from = `.tmp/types/${name}/src`
  if (existsSync(from)) cpSync(from, `packages/${name}/dist`, { recursive: true })
}
