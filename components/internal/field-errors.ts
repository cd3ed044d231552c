import { en } from '../i18n/en.ts'

/**
 * Turns a rejected login/register call into what a form shows: messages per
 * field and one for the whole form. Reads the server's error shape by duck
 * typing (`status`, `code`, `details.issues`), so it needs no import from the
 * services layer and also accepts a plain `Error`.
 */
export interface FormErrors {
  /** Field name (`username`, `password`, `name`) → message. */
  fields: Record<string, string>
  /** A message about the whole form, if any. */
  form: string | undefined
}

/** The form's own wording, in the page's language (English by default). */
export interface FormErrorText {
  somethingWentWrong: string
  serverUnreachable: (detail: string) => string
}

interface ErrorLike {
  status?: unknown
  code?: unknown
  message?: unknown
  details?: unknown
}

function issuesOf(details: unknown): Array<{ path: string; message: string }> {
  const issues = (details as { issues?: unknown } | undefined)?.issues
  if (!Array.isArray(issues)) return []
  return issues.flatMap((issue: unknown) => {
    const { path, message } = (issue ?? {}) as { path?: unknown; message?: unknown }
    if (typeof message !== 'string') return []
    const name = Array.isArray(path) ? path.join('.') : typeof path === 'string' ? path : ''
    return [{ path: name, message }]
  })
}

/**
 * @param knownFields the fields the form has; issues on others go to the form message
 * @param wording the form's own messages (the server's come as they are)
 */
export function formErrorsOf(error: unknown, knownFields: readonly string[], wording: FormErrorText = en): FormErrors {
  const { status, code, message, details } = (error ?? {}) as ErrorLike
  const text = typeof message === 'string' && message !== '' ? message : wording.somethingWentWrong
  const fields: Record<string, string> = {}
  const formMessages: string[] = []
  if (status === 422 || code === 'validation_failed') {
    for (const issue of issuesOf(details)) {
      if (knownFields.includes(issue.path)) fields[issue.path] ??= issue.message
      else formMessages.push(issue.path ? `${issue.path}: ${issue.message}` : issue.message)
    }
    if (Object.keys(fields).length === 0 && formMessages.length === 0) formMessages.push(text)
  } else if (status === 409 || code === 'conflict') {
    if (knownFields.includes('username')) fields.username = text
    else formMessages.push(text)
  } else if (status === 401 || code === 'unauthorized') {
    formMessages.push(text)
  } else if (status === 0 || code === 'network' || code === 'timeout') {
    formMessages.push(wording.serverUnreachable(text))
  } else {
    formMessages.push(text)
  }
  return { fields, form: formMessages.length > 0 ? formMessages.join(' ') : undefined }
}
