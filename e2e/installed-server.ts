/**
 * The server package as an operator runs it, for end-to-end tests: the
 * packed tarball installed into a folder, started with its bin, stopped with
 * a signal. Needs `npm run pack` first (`npm test` runs it).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { groupGone, killGroup } from '../server/testing/process-group.ts'

const run = promisify(execFile)
const root = new URL('..', import.meta.url).pathname
const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version

/** The packed tarballs of this version. */
export const tarballs = {
  client: join(root, 'dist', 'packages', `rtkit-${version}.tgz`),
  server: join(root, 'dist', 'packages', `rtkit-server-${version}.tgz`),
}

/** Runs `command` in `cwd`; its output is returned (and shown when it fails). */
export async function sh(cwd: string, command: string, args: string[], timeout = 300_000): Promise<string> {
  try {
    const { stdout, stderr } = await run(command, args, {
      cwd,
      timeout,
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, NODE_ENV: '' },
    })
    return stdout + stderr
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string }
    throw new Error(`${command} ${args.join(' ')} failed:\n${failed.stdout ?? ''}${failed.stderr ?? ''}`, { cause: error })
  }
}

/** A started server: its process and the URLs of its ready line (`api`, `realtime`). */
export interface RunningServer {
  child: ChildProcess
  urls: Record<string, string>
  /** Everything it printed so far. */
  output(): string
  /**
   * SIGTERM to its process group, as a terminal or a process manager stops
   * it; resolves once every process of the group has exited. One still there
   * after {@link STOP_WITHIN_MS} is killed and the stop rejects, so that a
   * stop that hangs fails its test instead of keeping the suite alive.
   */
  stop(): Promise<void>
}

/** How long a signalled server may take to stop: its drain (10 s by default) and its final snapshot, on a busy machine. */
export const STOP_WITHIN_MS = 30_000

/** Whether something answers HTTP at `url`. */
export async function listening(url: string): Promise<boolean> {
  return fetch(url, { signal: AbortSignal.timeout(2_000) }).then(
    () => true,
    () => false,
  )
}

/** A started command in its own process group, its output collected; {@link startInstalledServer} waits for its ready line. */
export function launch(
  folder: string,
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): { child: ChildProcess; output(): string } {
  const child = spawn(command, args, {
    cwd: folder,
    detached: true, // its own process group, as in a terminal
    env: { ...process.env, RTKIT_API_PORT: '0', RTKIT_REALTIME_PORT: '0', RTKIT_RETHINKDB_URL: '', RTKIT_ENV: 'development', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout!.on('data', (chunk) => (output += chunk))
  child.stderr!.on('data', (chunk) => (output += chunk))
  return { child, output: () => output }
}

/** Starts `command args` in `folder` on free ports and resolves once it prints its ready line. */
export async function startInstalledServer(
  folder: string,
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<RunningServer> {
  const { child, output } = launch(folder, command, args, env)
  const urls = await new Promise<Record<string, string>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${command} printed no ready line within 60 s: ${output()}`)), 60_000)
    child.stdout!.on('data', () => {
      const line = /^rtkit ready (.*)$/m.exec(output())?.[1]
      if (!line) return
      clearTimeout(timer)
      resolve(Object.fromEntries(line.split(' ').map((pair) => pair.split('=') as [string, string])))
    })
    child.on('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`${command} exited early with ${code}: ${output()}`))
    })
  }).catch((error: unknown) => {
    killGroup(child.pid!)
    throw error
  })
  return {
    child,
    urls,
    output,
    stop: async () => {
      try {
        process.kill(-child.pid!, 'SIGTERM')
      } catch {
        return // the whole group is gone already
      }
      if (await groupGone(child.pid!, STOP_WITHIN_MS)) return
      killGroup(child.pid!)
      throw new Error(`${command} ${args.join(' ')} did not stop within ${STOP_WITHIN_MS / 1000} s of SIGTERM; killed:\n${output()}`)
    },
  }
}
