#!/usr/bin/env node
// `npm test`: every suite in order — type check, node tests (unit and
// integration against the real bundled server), browser tests in Chromium,
// build, end-to-end tests — then one closing line `N passed, N failed`.
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const only = process.argv.slice(2) // e.g. `npm test -- node browser`
const wanted = (suite) => only.length === 0 || only.includes(suite)

function findFiles(dir, pattern, found = []) {
  if (!existsSync(dir)) return found
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) continue
    const path = join(dir, entry.name)
    if (entry.isDirectory()) findFiles(path, pattern, found)
    else if (pattern.test(entry.name)) found.push(relative(root, path))
  }
  return found.sort()
}

/**
 * How long each suite may run before it is stopped and counted as failed, in
 * minutes: a test that hangs, or a process a test left behind that keeps its
 * file's runner waiting, ends the run with a clear line instead of running
 * into CI's time limit. Each is several times the suite's usual time.
 */
const LIMIT_MINUTES = { lint: 5, typecheck: 5, node: 25, browser: 10, build: 10, e2e: 25 }

/** The suite running now, in its own process group: stopped with it when `npm test` itself is stopped. */
let current
for (const signal of ['SIGINT', 'SIGTERM'])
  process.on(signal, () => {
    if (current) killGroup(current, 'SIGTERM')
    process.exit(1)
  })

function killGroup(child, signal) {
  try {
    process.kill(-child.pid, signal)
  } catch {
    // Gone already.
  }
}

/** Runs a command with its output shown, stopped after its suite's limit; resolves with its exit code and whether it ran out of time. */
function run(suite, command, args, { env = {} } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'inherit', 'inherit'],
      detached: true, // its own process group, so that a stop reaches every process it started
    })
    current = child
    let timedOut = false
    const limit = setTimeout(() => {
      timedOut = true
      console.log(`\n[${suite}] did not finish within ${LIMIT_MINUTES[suite]} minutes: stopped, counted as failed\n`)
      killGroup(child, 'SIGTERM')
      setTimeout(() => killGroup(child, 'SIGKILL'), 10_000).unref()
    }, LIMIT_MINUTES[suite] * 60_000)
    child.on('close', (code) => {
      clearTimeout(limit)
      current = undefined
      resolve({ code: code ?? 1, timedOut })
    })
  })
}

const results = []
function record(suite, passed, failed) {
  results.push({ suite, passed, failed })
  console.log(`\n[${suite}] ${passed} passed, ${failed} failed\n`)
}

async function nodeSuite(suite, files) {
  if (files.length === 0) return
  const dir = mkdtempSync(join(tmpdir(), 'rtkit-test-'))
  const tap = join(dir, 'results.tap')
  const { code, timedOut } = await run(suite, process.execPath, [
    '--import',
    'tsx',
    '--test',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${tap}`,
    ...files,
  ])
  const text = existsSync(tap) ? readFileSync(tap, 'utf8') : ''
  rmSync(dir, { recursive: true, force: true })
  const count = (name) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(text)?.[1] ?? 0)
  const failed = count('fail') + count('cancelled') + Number(timedOut)
  // A crash before any summary still counts as a failure.
  record(suite, count('pass'), failed === 0 && code !== 0 ? 1 : failed)
}

if (wanted('lint')) {
  const eslint = await run('lint', 'npx', ['eslint', '.'])
  const prettier = await run('lint', 'npx', ['prettier', '--check', '.', '--log-level', 'warn'])
  record('lint', Number(eslint.code === 0) + Number(prettier.code === 0), Number(eslint.code !== 0) + Number(prettier.code !== 0))
}

if (wanted('typecheck')) {
  const { code } = await run('typecheck', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json'])
  record('typecheck', code === 0 ? 1 : 0, code === 0 ? 0 : 1)
}

if (wanted('node')) {
  const files = [
    // bench/ holds only fast tests (the report renderer, the scale figure's client against a plain deepstream); the benchmarks themselves never run in a test.
    ...['contracts', 'server', 'services', 'scripts', 'deploy', 'demo', 'bench'].flatMap((dir) =>
      findFiles(join(root, dir), /^(?!.*\.browser\.test\.ts$).*\.test\.ts$/),
    ),
    // The components' pure helpers; everything else in components/ runs in the browser suite.
    ...findFiles(join(root, 'components'), /\.node\.test\.ts$/),
  ]
  await nodeSuite('node', files)
}

if (wanted('browser') && existsSync(join(root, 'web-test-runner.config.mjs'))) {
  // The runner's own summary, written by the config's reporter (machine-readable, not the console).
  const dir = mkdtempSync(join(tmpdir(), 'rtkit-wtr-'))
  const summary = join(dir, 'summary.json')
  const { code, timedOut } = await run('browser', 'npx', ['web-test-runner', '--config', 'web-test-runner.config.mjs'], {
    env: { RTKIT_WTR_SUMMARY: summary },
  })
  const { passed = 0, failed = 0 } = existsSync(summary) ? JSON.parse(readFileSync(summary, 'utf8')) : {}
  rmSync(dir, { recursive: true, force: true })
  // A crash before any summary still counts as a failure.
  record('browser', passed, failed === 0 && code !== 0 ? 1 : failed + Number(timedOut))
}

if (wanted('e2e')) {
  // The embedding tests load the built single-file bundle, and the consumer
  // tests install the packed tarballs, as users would.
  const { code } = await run('build', 'npm', ['run', 'pack'])
  record('build', code === 0 ? 1 : 0, code === 0 ? 0 : 1)
  await nodeSuite('e2e', findFiles(join(root, 'e2e'), /\.e2e\.test\.ts$/))
}

const passed = results.reduce((sum, r) => sum + r.passed, 0)
const failed = results.reduce((sum, r) => sum + r.failed, 0)
console.log(results.map((r) => `${r.suite}: ${r.passed} passed, ${r.failed} failed`).join('\n'))
console.log(`${passed} passed, ${failed} failed`)
process.exit(failed === 0 && passed > 0 ? 0 : 1)
