/**
 * The display orders of the built-in collections, from their descriptors
 * (`contracts/descriptors.ts`), re-exported for code that sorts by hand.
 *
 * @example
 * [...tasks].sort(compareTasks)
 */
export { compareTasks, compareMessages } from '../../contracts/index.ts'
