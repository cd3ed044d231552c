import r from 'rethinkdb'
import type { Session } from '../../contracts/documents.ts'
import { connectOptions } from '../db/connection.ts'
import { THROTTLE_TABLE } from '../db/throttle-rows.ts'
import { schema } from '../db/migrate.ts'
import { startStack, type Stack } from '../stack.ts'
import { testEnv } from './test-env.ts'
import { DEMO_PASSWORD } from '../db/seed.ts'

export interface ApiResponse<T = any> {
  status: number
  headers: Headers
  body: T
}

/** A stack for tests, with helpers to call the API and look into the database. */
export interface TestStack extends Stack {
  api<T = any>(
    method: string,
    path: string,
    options?: { body?: unknown; token?: string; raw?: string; headers?: Record<string, string> },
  ): Promise<ApiResponse<T>>
  login(username: 'alice' | 'bob'): Promise<Session>
  /** Every row of every data table, for proving that a request wrote nothing. */
  snapshot(): Promise<string>
  rows(table: string): Promise<any[]>
}

export async function startTestStack(extra: NodeJS.ProcessEnv = {}): Promise<TestStack> {
  const stack = await startStack(testEnv(extra))
  const open = async () => {
    const opened = await r.connect(connectOptions(stack.config.database))
    // A database restart (fault tests) drops it; the next call reopens it.
    opened.on('error', () => undefined)
    return opened
  }
  let conn = await open()
  const read = async (table: string) => (await r.table(table).run(conn)).toArray()
  const rows = async (table: string) => {
    let items: any[]
    try {
      if (!(conn as typeof conn & { open: boolean }).open) conn = await open()
      items = await read(table)
    } catch {
      conn = await open()
      items = await read(table)
    }
    return items.sort((a, b) => String(a.id).localeCompare(String(b.id)))
  }
  const api: TestStack['api'] = async (method, path, options = {}) => {
    const headers: Record<string, string> = { ...options.headers }
    if (options.token) headers.authorization = `Bearer ${options.token}`
    let body: string | undefined = options.raw
    if (options.body !== undefined) {
      body = JSON.stringify(options.body)
      headers['content-type'] ??= 'application/json'
    }
    // Bounded, so a server that stops answering fails the test instead of hanging it.
    const response = await fetch(stack.apiUrl + path, {
      method,
      headers,
      ...(body !== undefined ? { body } : {}),
      signal: AbortSignal.timeout(10_000),
    })
    const text = await response.text()
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined }
  }
  return {
    ...stack,
    api,
    rows,
    login: async (username) => {
      const response = await api<Session>('POST', '/auth/login', { body: { username, password: DEMO_PASSWORD } })
      if (response.status !== 200) throw new Error(`login as ${username} failed: ${response.status}`)
      return response.body
    },
    snapshot: async () => {
      const tables: Record<string, unknown[]> = {}
      // The throttle's failure counts are the one write a refused request makes, on purpose.
      for (const table of schema().keys()) if (table !== THROTTLE_TABLE) tables[table] = await rows(table)
      return JSON.stringify(tables)
    },
    close: async () => {
      // noreplyWait would wait for an answer a stopped database never sends.
      await conn.close({ noreplyWait: false }).catch(() => undefined)
      await stack.close()
    },
  }
}
