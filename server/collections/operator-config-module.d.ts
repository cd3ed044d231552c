/** The operator's config module, resolved by the Lambda build (scripts/build-lambdas.ts). */
declare module 'rtkit:operator-config' {
  const config: unknown
  export default config
}
