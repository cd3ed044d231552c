/** Absolute path of the deepstream client's browser build. */
export const deepstreamBrowserBuild: string
/** The browser build's source without its `eval`. */
export function withoutEval(code: string): string
