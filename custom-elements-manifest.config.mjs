// `cem analyze` (a step of `npm run build`): dist/custom-elements.json, generated from the components'
// code and JSDoc (@summary, @event, @slot, @csspart, @cssproperty) — the
// manifest IDEs, Storybook and framework wrappers read.

/**
 * Keeps each class's `@example` blocks as `examples` (the analyzer drops
 * them): the reference page (`/docs/` of `npm start`) renders them live.
 */
function examples() {
  return {
    name: 'rtkit-examples',
    analyzePhase({ ts, node, moduleDoc }) {
      if (!ts.isClassDeclaration(node) || !node.name) return
      const declaration = moduleDoc.declarations?.find((entry) => entry.name === node.name.getText())
      const found = ts
        .getJSDocTags(node)
        .filter((tag) => tag.tagName.getText() === 'example')
        .map((tag) => (ts.getTextOfJSDocComment(tag.comment) ?? '').trim())
        .filter(Boolean)
      if (declaration && found.length > 0) declaration.examples = found
    },
  }
}

export default {
  globs: ['components/**/*.ts'],
  // components/react holds the React wrappers of these elements, not elements.
  exclude: ['**/*.test.ts', 'components/testing/**', 'components/internal/**', 'components/react/**', 'components/i18n/**'],
  outdir: 'dist',
  litelement: true,
  packagejson: false,
  plugins: [examples()],
}
