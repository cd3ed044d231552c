import { resolve } from 'node:path'
import { migrate } from '../db/migrate.ts'
import { UserAction, type ServerCommand } from '../lib/command-line.ts'
import { openAdminDatabase, type AdminDatabase } from './admin-database.ts'
import { readExportFile } from './export-reader.ts'
import { writeExport } from './export-writer.ts'
import { writeImport } from './import-writer.ts'
import {
  AccountError,
  addAccount,
  describeAccount,
  disableAccount,
  endSessions,
  listAccounts,
  setAccountPassword,
} from './user-accounts.ts'

/**
 * The operator's commands of `rtkit-server` (`export`, `import`, `users`):
 * each opens the database (`admin-database.ts`), does its job, prints what
 * it did on stdout and exits 0; a mistake prints one line on stderr and
 * exits 1 (`runMain`), having written nothing.
 */
export async function runCommand(command: Exclude<ServerCommand, { command: 'serve' }>, env = process.env): Promise<void> {
  if (command.command === 'import') {
    // Checked before the database is opened: a bad file never touches it.
    const path = resolve(command.file)
    const { collections } = await loadCollectionsOnly(env, command.config)
    const contents = await readExportFile(path, collections)
    await withDatabase(env, command.config, true, async (database) => {
      const written = await writeImport(database.conn, database.db, database.collections, contents, {
        force: command.force,
        layout: database.database,
      })
      console.log(`imported ${[...written].map(([table, count]) => `${table}: ${count}`).join(', ')} from ${command.file}`)
      if (!contents.header.secrets && (written.get('users') ?? 0) > 0) {
        console.log('the export holds no passwords: give each user one with `rtkit-server users set-password <name>`')
      }
    })
    return
  }
  // The first account may come before the server's first start: `users add` makes the tables as the server would.
  const adding = command.command === 'users' && command.action === UserAction.add
  await withDatabase(env, command.config, adding, async ({ conn, db, collections, database }) => {
    if (command.command === 'export') {
      const header = await writeExport(conn, db, collections, resolve(command.out), { includeSecrets: command.includeSecrets })
      const counts = Object.entries(header.counts).map(([table, count]) => `${table}: ${count}`)
      console.log(`exported ${counts.join(', ')} to ${command.out}${header.secrets ? ' (with password hashes: keep it private)' : ''}`)
      return
    }
    const name = command.name ?? ''
    switch (command.action) {
      case UserAction.list:
        for (const user of await listAccounts(conn)) console.log(describeAccount(user))
        return
      case UserAction.add: {
        await migrate(conn, db, database)
        const user = await addAccount(conn, name, await readPassword(), command.displayName ?? name)
        console.log(`added ${user.id} (${user.userId})`)
        return
      }
      case UserAction.setPassword:
        console.log(`set the password of ${(await setAccountPassword(conn, name, await readPassword())).id}; its sessions ended`)
        return
      case UserAction.disable:
        console.log(`disabled ${(await disableAccount(conn, name)).id}; its sessions ended`)
        return
      case UserAction.revoke:
        console.log(`ended every session of ${(await endSessions(conn, name)).id}`)
        return
    }
  })
}

async function withDatabase(
  env: NodeJS.ProcessEnv,
  configFile: string | undefined,
  create: boolean,
  work: (database: AdminDatabase) => Promise<void>,
): Promise<void> {
  const database = await openAdminDatabase(env, { configFile, create })
  try {
    await work(database)
  } finally {
    await database.close()
  }
}

/** The declared collections, without opening the database. */
async function loadCollectionsOnly(env: NodeJS.ProcessEnv, configFile: string | undefined) {
  const { loadOperatorConfig } = await import('../collections/load-config.ts')
  return loadOperatorConfig(configFile ?? env.RTKIT_CONFIG)
}

/**
 * One line of standard input: the password, never an argument (it would
 * show in `ps` and the shell's history). A terminal is refused, since what
 * is typed there would show.
 */
async function readPassword(input: NodeJS.ReadStream = process.stdin): Promise<string> {
  if (input.isTTY) {
    throw new AccountError(
      'the password is read from standard input, not a terminal: pipe it in, e.g. `printf \'%s\\n\' "$PASSWORD" | rtkit-server users …`',
    )
  }
  let text = ''
  for await (const chunk of input) {
    text += String(chunk)
    if (text.includes('\n')) break
  }
  const [line = ''] = text.split(/\r?\n/)
  if (line === '') throw new AccountError('no password on standard input (one line expected)')
  return line
}
