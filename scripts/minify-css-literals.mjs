// Minifies the CSS in Lit `css` tagged templates of the components for the
// builds: comments and indentation go, runs of spaces shrink to one, and the
// space around `{ } ; ,` and after `:` goes; line breaks stay. Spaces before a `:` stay (`a :hover` and
// `a:hover` differ), as do spaces around `+ - * /` (`calc()` needs them).
// Only the text between `${}` interpolations changes. Shared by vite.config.ts.
// Written here because the minifiers for tagged templates (minify-html-literals
// and the plugins built on it) are no longer maintained and bring an HTML
// minifier and clean-css for what is a handful of safe rewrites.

/**
 * @param {string} text the static text of a css template, between interpolations
 * @returns {string}
 */
export function minifyCss(text) {
  return (
    text
      // Line breaks stay (one per line), so the lines after a template keep their numbers and the source map holds.
      .replace(/\/\*[\s\S]*?\*\//g, (comment) => comment.replace(/[^\n]/g, ''))
      .replace(/[ \t]+/g, ' ')
      .replace(/ *\n[\s]*/g, (run) => '\n'.repeat(run.split('\n').length - 1))
      .replace(/ *([{};,]) */g, '$1')
      .replace(/: +/g, ':')
      .replace(/;(\n*)}/g, '$1}')
  )
}

/**
 * `code` with every css`…` template minified.
 *
 * @param {string} code a module's source
 * @returns {string}
 */
export function minifyCssLiterals(code) {
  let out = ''
  let at = 0
  for (let start = code.indexOf('css`'); start !== -1; start = code.indexOf('css`', at)) {
    out += code.slice(at, start + 4)
    let i = start + 4
    let segment = ''
    for (;;) {
      const ch = code[i]
      if (ch === undefined) return code // unterminated: leave the module as it was
      if (ch === '\\') {
        segment += code.slice(i, i + 2)
        i += 2
      } else if (ch === '`') {
        out += minifyCss(segment) + '`'
        i += 1
        break
      } else if (ch === '$' && code[i + 1] === '{') {
        out += minifyCss(segment)
        segment = ''
        let depth = 0
        const from = i
        for (; i < code.length; i++) {
          if (code[i] === '{') depth++
          else if (code[i] === '}' && --depth === 0) break
        }
        out += code.slice(from, i + 1)
        i += 1
      } else {
        segment += ch
        i += 1
      }
    }
    at = i
  }
  return out + code.slice(at)
}
