import { fork, type ChildProcess } from 'node:child_process'

/**
 * A benchmark client process (a script under bench/clients/, named relative
 * to bench/figures/ as the figures name it) and its IPC: `next(type)`
 * resolves with the next message of that type. Loads run in processes of
 * their own, so a client never shares an event loop with the server it measures.
 */
export interface ClientProcess {
  child: ChildProcess
  send(message: object): void
  next<T = Record<string, unknown>>(type: string): Promise<T>
}

export function clientProcess(script: string, env: Record<string, string>, timeoutMs = 200_000): ClientProcess {
  const child = fork(new URL(script, new URL('./figures/', import.meta.url)).pathname, [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, ...env },
  })
  const waiting = new Map<string, (message: Record<string, unknown>) => void>()
  child.on('message', (message: { type: string }) => {
    const resolve = waiting.get(message.type)
    waiting.delete(message.type)
    resolve?.(message)
  })
  child.on('exit', (code) => {
    if (code) for (const resolve of waiting.values()) resolve({ error: `${script} exited with ${code}` })
  })
  return {
    child,
    send: (message) => child.send(message),
    next: <T>(type: string) =>
      new Promise<T>((resolve, reject) => {
        const timer = setTimeout(
          () => (child.kill(), reject(new Error(`${script} sent no "${type}" within ${timeoutMs / 1000} s`))),
          timeoutMs,
        )
        waiting.set(type, (message) => {
          clearTimeout(timer)
          if (typeof message.error === 'string') reject(new Error(message.error))
          else resolve(message as T)
        })
      }),
  }
}
