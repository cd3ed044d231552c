/** Flags Chromium needs to run headless in a container. */
export declare const chromiumArgs: string[]
/** The path of a Chromium executable: `$CHROME_PATH`, else the first one on `$PATH`. */
export declare function chromiumPath(): string
