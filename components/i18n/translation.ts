/**
 * What every catalogue says about itself: its language tag, its name in
 * that language and its direction. The same shape as `@shoelace-style/localize`'s
 * `Translation`, declared here so the package's types need nothing it does
 * not ship (the library is inlined into the builds).
 */
export interface Translation {
  $code: string
  $name: string
  $dir: 'ltr' | 'rtl'
}

/**
 * Every string the built-in tags show, by key: a string, or a function of
 * what it mentions (names, counts). A catalogue is one object of these for
 * one language (`$code`), registered with `registerTranslation()`. Keys a
 * catalogue leaves out fall back to English.
 *
 * @example
 * registerTranslation({ $code: 'fr', $name: 'Français', $dir: 'ltr', signIn: 'Se connecter', send: 'Envoyer' })
 */
export interface RtTranslation extends Translation {
  // Notices (every tag)
  notConfigured: (tag: string) => string
  signInToSee: (what: string) => string
  noAccessTo: (what: string) => string
  streamFailed: string
  theBoard: string
  theBoardNamed: (board: string) => string
  theChat: string
  theRoom: (room: string) => string
  // Error list (board, chat)
  dismiss: string
  dismissError: (message: string) => string
  // <rt-login>
  notSignedIn: string
  /** Shown before the signed-in user's name. */
  signedInAs: string
  signOut: string
  signIn: string
  signingIn: string
  createAccount: string
  creatingAccount: string
  haveAccount: string
  displayName: string
  username: string
  password: string
  somethingWentWrong: string
  serverUnreachable: (detail: string) => string
  // <rt-connection-status>
  connecting: string
  online: string
  reconnecting: string
  offline: string
  notConnected: string
  changesWaiting: (count: number) => string
  // <rt-presence>
  onlineUsers: string
  andMore: (count: number) => string
  onlineCount: (count: number) => string
  // <rt-chat>
  messagesIn: (room: string) => string
  noMessages: string
  messageTo: (room: string) => string
  writeMessage: string
  send: string
  you: string
  sending: string
  editMessage: string
  edit: string
  editMessageNamed: (text: string) => string
  delete: string
  deleteMessageNamed: (text: string) => string
  save: string
  cancel: string
  // <rt-task-board>
  keyHelp: string
  todo: string
  doing: string
  done: string
  taskCount: (count: number) => string
  noTasks: string
  newTaskIn: (column: string) => string
  addTaskPlaceholder: string
  addTaskTo: (column: string) => string
  add: string
  saving: string
  renameTask: (title: string) => string
  moveTo: string
  moveTaskTo: (title: string) => string
  remove: string
  removeTask: (title: string) => string
  applyAgain: string
  added: (title: string, column: string) => string
  moved: (title: string, column: string, position: number, of: number) => string
  renamed: (title: string) => string
  removed: (title: string) => string
}

/** A catalogue that may leave keys out (they fall back to English), as `registerTranslation()` takes it. */
export type PartialTranslation = Translation & Partial<Omit<RtTranslation, keyof Translation>>
