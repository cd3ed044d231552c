import { crc32 } from 'node:zlib'

/**
 * The journal's line format: one row change a line, `<crc32> <json>\n`, where
 * `<crc32>` is eight hex digits over the JSON's UTF-8 bytes. The checksum
 * tells a damaged line from a good one even when the damage leaves valid
 * JSON behind (a flipped digit in a version, a truncated string that still
 * closes): such a line would otherwise be replayed as if it were the write.
 * Lines without a checksum (`{…}`, written before the checksum existed) are
 * still read.
 */

/** One journal record: database, table, primary key, and the row as it now is (`null`: deleted). */
export interface JournalRecord {
  d: string
  t: string
  k: unknown
  v: unknown
}

const CHECKSUMMED = /^([0-9a-f]{8}) (\{.*\})$/

function checksum(json: string): string {
  return crc32(Buffer.from(json, 'utf8')).toString(16).padStart(8, '0')
}

/** The line that stores `record`, newline included. */
export function encodeRecord(record: JournalRecord): string {
  const json = JSON.stringify(record)
  return `${checksum(json)} ${json}\n`
}

/** The record `line` (without its newline) holds, or `undefined` when it is damaged. */
export function decodeLine(line: string): JournalRecord | undefined {
  const match = CHECKSUMMED.exec(line)
  const json = match ? match[2]! : line.startsWith('{') ? line : undefined
  if (json === undefined || (match && checksum(json) !== match[1])) return undefined
  try {
    const record = JSON.parse(json) as Partial<JournalRecord>
    return typeof record.d === 'string' && typeof record.t === 'string' && 'k' in record && 'v' in record
      ? (record as JournalRecord)
      : undefined
  } catch {
    return undefined
  }
}
