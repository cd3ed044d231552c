export function minifyCss(text: string): string
export function minifyCssLiterals(code: string): string
