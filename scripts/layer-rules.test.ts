import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ESLint } from 'eslint'

// The layer rules of docs/architecture.md live in eslint.config.js. These
// cases lint imports as if they sat in each layer's folder, so a rule that
// stops firing (a renamed folder, a mistyped pattern) fails here.

const eslint = new ESLint({ cwd: new URL('..', import.meta.url).pathname })

async function violations(filePath: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath })
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message)
}

const cases: Array<{ file: string; imports: string; refused: boolean }> = [
  { file: 'components/chat/probe.ts', imports: '../../services/create-kit.ts', refused: true },
  { file: 'components/chat/probe.ts', imports: '../../services/index.ts', refused: false },
  { file: 'components/chat/probe.ts', imports: '../../server/config.ts', refused: true },
  { file: 'components/chat/probe.ts', imports: '../../contracts/collection.ts', refused: true },
  { file: 'components/chat/probe.ts', imports: '../../contracts/index.ts', refused: false },
  { file: 'components/chat/probe.ts', imports: 'jsonwebtoken', refused: true },
  { file: 'services/live/probe.ts', imports: 'lit', refused: true },
  { file: 'services/live/probe.ts', imports: '@lit/context', refused: true },
  { file: 'services/live/probe.ts', imports: '../../components/index.ts', refused: true },
  { file: 'services/live/probe.ts', imports: '../../server/stack.ts', refused: true },
  { file: 'services/live/probe.ts', imports: 'rxjs', refused: false },
  { file: 'server/db/probe.ts', imports: '../../services/index.ts', refused: true },
  { file: 'server/db/probe.ts', imports: '../../components/index.ts', refused: true },
  { file: 'server/db/probe.ts', imports: '../../contracts/collection.ts', refused: false },
  { file: 'contracts/probe.ts', imports: '../server/config.ts', refused: true },
]

describe('layer rules', () => {
  for (const { file, imports, refused } of cases) {
    it(`${refused ? 'refuses' : 'allows'} ${imports} in ${file}`, async () => {
      const found = await violations(file, `import { x } from '${imports}'\nexport const y = x\n`)
      assert.equal(found.length, refused ? 1 : 0, found.join('\n') || 'no violation reported')
    })
  }
})
