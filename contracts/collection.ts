import * as z from 'zod/mini'

/**
 * The two values every collection validates the same way, whatever its
 * declaration: partition values and document ids. Server only (zod); the
 * client never loads this module.
 */

/**
 * Partition values are used in topic names and URLs, so they are kept plain.
 * 128 characters leave room for a direct-message room of two UUIDs
 * (`dm:<uuid>:<uuid>`, 76 characters).
 */
const buildPartitionValue = () =>
  z
    .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be text') })
    .check(z.regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/, 'must be 1–128 letters, digits, or _ . : - (starting with a letter or digit)'))
/**
 * A UUID in lower case, as `crypto.randomUUID()` makes it: ids are compared
 * as text, so the same UUID in capitals would be a second document.
 */
const buildDocumentId = () => z.uuid('must be a UUID').check(z.regex(/^[^A-F]*$/, 'must be a UUID in lower case'))

// Each built on first use, not at import: a Lambda handler builds no zod schema before its first request.
let partitionSchema: ReturnType<typeof buildPartitionValue> | undefined
let documentIdSchema: ReturnType<typeof buildDocumentId> | undefined

/** The schema of a partition value. */
export function partitionValue(): ReturnType<typeof buildPartitionValue> {
  return (partitionSchema ??= buildPartitionValue())
}

/** The schema of a client-generated document id. */
export function documentId(): ReturnType<typeof buildDocumentId> {
  return (documentIdSchema ??= buildDocumentId())
}
