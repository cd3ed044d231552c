// `cem analyze` (a step of `npm run build`): dist/custom-elements.json, generated from the components'
// code and JSDoc (@summary, @event, @slot, @csspart, @cssproperty) — the
// manifest IDEs, Storybook and framework wrappers read.
export default {
  globs: ['components/**/*.ts'],
  exclude: ['**/*.test.ts', 'components/testing/**', 'components/internal/**'],
  outdir: 'dist',
  litelement: true,
  packagejson: false,
}
