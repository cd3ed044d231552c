// The few Mocha globals the component tests use (Mocha runs them inside
// @web/test-runner; @types/mocha is not a dependency).
declare global {
  type MochaDone = (error?: unknown) => void
  type MochaBody = (this: { timeout(ms: number): void; skip(): never }) => void | Promise<unknown>
  function describe(title: string, body: () => void): void
  function it(title: string, body: MochaBody): void
  function before(body: MochaBody): void
  function after(body: MochaBody): void
  function beforeEach(body: MochaBody): void
  function afterEach(body: MochaBody): void
}

export {}
