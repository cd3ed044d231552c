// `cem analyze` (a step of `npm run build`): dist/custom-elements.json, generated from the components'
// code and JSDoc (@summary, @event, @slot, @csspart, @cssproperty) — the
// manifest IDEs, Storybook and framework wrappers read.
export default {
  globs: ['components/**/*.ts'],
  // components/react holds the React wrappers of these elements, not elements.
  exclude: ['**/*.test.ts', 'components/testing/**', 'components/internal/**', 'components/react/**'],
  outdir: 'dist',
  litelement: true,
  packagejson: false,
}
