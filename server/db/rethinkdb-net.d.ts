// The rethinkdb driver's connection module, which @types/rethinkdb does not
// declare: server/db/driver.ts gives the part it replaces a shape.
declare module 'rethinkdb/net.js' {
  const net: unknown
  export default net
}
