/** Message classes of the generated protocol module rtkit's client never sends or reads. */
export const UNUSED_MESSAGES: readonly string[]
/**
 * The deepstream client as one minified ES module exporting `DeepstreamClient` and `C`, built once per process.
 * `unusedMessages: false` also leaves out UNUSED_MESSAGES.
 */
export function deepstreamClientModule(options?: { unusedMessages?: boolean }): Promise<string>
