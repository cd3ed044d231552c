// reqlite ships no types. These declare the internals the embedded database
// builds on (server/db/embedded/reqlite.ts gives them shapes).
declare module 'reqlite/lib/index.js' {
  const Server: unknown
  export default Server
}
declare module 'reqlite/lib/connection.js' {
  const Connection: unknown
  export default Connection
}
declare module 'reqlite/lib/database.js' {
  const Database: unknown
  export default Database
}
declare module 'reqlite/lib/query.js' {
  const Query: unknown
  export default Query
}
declare module 'reqlite/lib/selection.js' {
  const Selection: unknown
  export default Selection
}
declare module 'reqlite/lib/utils.js' {
  const util: unknown
  export default util
}
declare module 'reqlite/lib/protodef.js' {
  const protodef: unknown
  export default protodef
}
declare module 'reqlite/lib/error.js' {
  const value: unknown
  export default value
}
