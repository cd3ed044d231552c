import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'

/** One tag of the kit, as the build and the packages see it. */
export interface TagEntry {
  /** Component folder, e.g. `task-board`. */
  folder: string
  /** Element name and entry name, e.g. `rt-task-board`. */
  tag: string
  /** `components/<folder>/<folder>.ts`: defines the element when imported. */
  source: string
  /** Its declaration file under `dist/types`. */
  types: string
}

/**
 * The tags, derived from the folders: a folder of `components/` with a
 * `<folder>.ts` (the file that calls `customElements.define`) is a tag named
 * `rt-<folder>`. The build's entries and the package's `exports` come from
 * this list, so adding a tag is its folder plus its line in
 * `components/index.ts`.
 */
export function tagEntries(root: string): TagEntry[] {
  const components = join(root, 'components')
  return readdirSync(components, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(components, entry.name, `${entry.name}.ts`)))
    .map((entry) => entry.name)
    .sort()
    .map((folder) => ({
      folder,
      tag: `rt-${folder}`,
      source: join(components, folder, `${folder}.ts`),
      types: `./dist/types/components/${folder}/${folder}.d.ts`,
    }))
}
