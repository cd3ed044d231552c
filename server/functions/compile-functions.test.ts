// A bad function in the config stops start-up with one line naming the file,
// the function and the problem, as a bad collection does: one test per check.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { fileURLToPath, pathToFileURL } from 'node:url'
import * as z from 'zod/mini'
import { defineConfig } from '../collections/define.ts'
import { loadOperatorConfig } from '../collections/load-config.ts'
import { compileFunctions } from './compile-functions.ts'
import { defineFunction, type AnyFunctionDefinition } from './define-function.ts'
import { assertConfigRefused } from '../testing/config-refusal.ts'

const FILE = 'rtkit.config.mjs'
const good = { name: 'close-poll', input: z.object({ poll: z.string() }), handler: () => null }

function refused(functions: unknown[], expected: RegExp): void {
  assertConfigRefused(() => compileFunctions(defineConfig({ functions: functions as AnyFunctionDefinition[] }), FILE), FILE, expected)
}

describe('compileFunctions', () => {
  it("reports each unknown key of a function's input at its own path", async () => {
    const [strict] = compileFunctions(
      defineConfig({ functions: [defineFunction({ ...good, input: z.strictObject({ n: z.number(), meta: z.strictObject({}) }) })] }),
      FILE,
    )
    const refusal = (await strict!.validateInput({ n: 1, z: 2, meta: { b: 1 } }).then(
      () => undefined,
      (error: unknown) => error,
    )) as { details: { issues: Array<{ path: string; message: string }> } }
    assert.deepEqual(refusal.details.issues.map((issue) => issue.path).sort(), ['meta.b', 'z'])
    assert.ok(refusal.details.issues.every((issue) => issue.message === 'Unrecognized key'))
  })

  it('compiles declared functions, requiring a token unless auth is false', () => {
    const compiled = compileFunctions(
      defineConfig({ functions: [defineFunction(good), defineFunction({ ...good, name: 'open', auth: false })] }),
      FILE,
    )
    assert.deepEqual(
      compiled.map((fn) => [fn.name, fn.auth]),
      [
        ['close-poll', true],
        ['open', false],
      ],
    )
  })

  it('has no functions without a config or without a functions list', () => {
    assert.deepEqual(compileFunctions(undefined, FILE), [])
    assert.deepEqual(compileFunctions(defineConfig({}), FILE), [])
  })

  it('refuses a function not made by defineFunction', () =>
    refused([good], /^rtkit\.config\.mjs: functions\[0\] is not made by defineFunction/))
  it('refuses a bad name', () => refused([defineFunction({ ...good, name: 'Close Poll' })], /function "Close Poll": name must match/))
  it('refuses a name declared twice', () =>
    refused([defineFunction(good), defineFunction(good)], /function "close-poll": is declared twice/))
  it('refuses an input that is not a Standard Schema', () =>
    refused([defineFunction({ ...good, input: { poll: 'string' } as never })], /function "close-poll": input is not a Standard Schema/))
  it('refuses a handler that is not a function', () =>
    refused([defineFunction({ ...good, handler: 'close' as never })], /function "close-poll": handler must be a function/))
  it('refuses rules.call that is not a function', () =>
    refused([defineFunction({ ...good, rules: { call: true as never } })], /function "close-poll": rules\.call is not a function/))
  it('refuses an unknown rule', () =>
    refused([defineFunction({ ...good, rules: { read: () => true } as never })], /function "close-poll": rules\.read is not a rule/))
  it('refuses an auth that is not a boolean', () =>
    refused([defineFunction({ ...good, auth: 'yes' as never })], /function "close-poll": auth must be true or false/))
  it('refuses functions that are not a list', () =>
    assert.throws(
      () => compileFunctions(defineConfig({ functions: {} as never }), FILE),
      /^OperatorConfigError: rtkit\.config\.mjs: functions must be a list/,
    ))
})

describe('loading a config module with functions', () => {
  const define = pathToFileURL(fileURLToPath(new URL('../collections/config-entry.ts', import.meta.url))).href

  it('gives the functions it declares, and stops at a bad one with one line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rtkit-functions-config-'))
    try {
      const write = (file: string, input: string) =>
        writeFileSync(
          join(dir, file),
          `import { defineConfig, defineFunction, tasks } from '${define}'\n` +
            `export default defineConfig({ collections: [tasks], functions: [defineFunction({ name: 'ping', input: ${input}, handler: () => 'pong' })] })\n`,
        )
      write('rtkit.config.mjs', `{ '~standard': { version: 1, vendor: 'test', validate: (value) => ({ value }) } }`)
      const loaded = await loadOperatorConfig(undefined, dir)
      assert.deepEqual(
        loaded.functions.map((fn) => fn.name),
        ['ping'],
      )
      // Another file: a module once imported stays cached.
      write('bad.config.mjs', `'any'`)
      await assert.rejects(loadOperatorConfig('bad.config.mjs', dir), (error: Error) => {
        assert.equal(
          error.message,
          'bad.config.mjs: function "ping": input is not a Standard Schema validator (zod 3.24+, valibot, arktype…)',
        )
        return true
      })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('defineFunction types', () => {
  it('gives the handler the validated input, and a user that is there unless auth is false', () => {
    const input = z.object({ poll: z.string() })
    const signedIn = defineFunction({ name: 'a', input, handler: (value, ctx) => `${value.poll}:${ctx.user.id}` })
    const open = defineFunction({ name: 'b', auth: false, input, handler: (value, ctx) => `${value.poll}:${ctx.user?.id ?? ''}` })
    // @ts-expect-error with auth: false the caller may be missing
    defineFunction({ name: 'c', auth: false, input, handler: (_value, ctx) => ctx.user.id })
    // @ts-expect-error the input's type comes from its schema
    defineFunction({ name: 'd', input, handler: (value) => value.choice })
    assert.deepEqual(
      compileFunctions(defineConfig({ functions: [signedIn, open] }), FILE).map((fn) => fn.auth),
      [true, false],
    )
  })
})
