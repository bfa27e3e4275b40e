// The few parts of Koa 3 this example uses (Koa ships no types; @types/koa is not installed).
declare module 'koa' {
  import type { IncomingMessage, Server } from 'node:http'
  interface Cookies {
    get(name: string, options?: { signed?: boolean }): string | undefined
    set(name: string, value: string | null, options?: { signed?: boolean; httpOnly?: boolean; sameSite?: 'lax' | 'strict' | 'none'; secure?: boolean; overwrite?: boolean }): Cookies
  }
  namespace Koa {
    interface Context {
      readonly method: string
      readonly path: string
      readonly query: Readonly<Record<string, string | ReadonlyArray<string> | undefined>>
      readonly req: IncomingMessage
      readonly cookies: Cookies
      status: number
      body: unknown
      type: string
      get(field: string): string
      set(field: string, value: string): void
      redirect(url: string): void
    }
    type Next = () => Promise<void>
    type Middleware = (ctx: Context, next: Next) => Promise<void> | void
  }
  class Koa {
    keys: ReadonlyArray<string>
    use(middleware: Koa.Middleware): this
    callback(): (req: IncomingMessage, res: import('node:http').ServerResponse) => void
    listen(port: number, host: string, callback?: () => void): Server
  }
  export default Koa
}
