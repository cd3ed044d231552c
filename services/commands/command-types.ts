/**
 * The "[Source] Event" names of every command the facade issues. Only for
 * logs and UIs (e.g. "Saving: Rename Task…"); processing looks at `op`.
 */
export const CommandType = {
  addTask: '[Tasks] Add Task',
  moveTask: '[Tasks] Move Task',
  renameTask: '[Tasks] Rename Task',
  removeTask: '[Tasks] Remove Task',
  sendMessage: '[Messages] Send Message',
  editMessage: '[Messages] Edit Message',
  removeMessage: '[Messages] Remove Message',
  insert: '[Collection] Insert',
  update: '[Collection] Update',
  remove: '[Collection] Remove',
} as const
export type CommandType = (typeof CommandType)[keyof typeof CommandType]
