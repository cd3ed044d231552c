// The host application of strict-csp.html. It knows rtkit only through its
// DOM events (they bubble out of the tags to the document) and shows what
// other users change: "Bob Okafor added “Ship it”".
const COLUMNS = { todo: 'To do', doing: 'Doing', done: 'Done' }
const names = new Map()
const activity = document.querySelector('#activity')

function say(text) {
  const item = document.createElement('li')
  item.textContent = text
  activity.prepend(item)
  while (activity.children.length > 5) activity.lastElementChild.remove()
}

// Presence names the users; a task's `createdBy` is a user id.
document.addEventListener('rt-presence-change', ({ detail }) => {
  for (const user of detail.users) names.set(user.id, user.name)
})

document.addEventListener('rt-task-change', ({ detail }) => {
  if (detail.origin !== 'remote') return
  const { doc, previous } = detail
  if (detail.op === 'remove') say(`“${previous?.title ?? 'A task'}” was removed from ${detail.board}`)
  else if (!previous) say(`${names.get(doc.createdBy) ?? 'Someone'} added “${doc.title}”`)
  else if (previous.status !== doc.status) say(`“${doc.title}” moved to ${COLUMNS[doc.status] ?? doc.status}`)
  else if (previous.title !== doc.title) say(`“${previous.title}” is now “${doc.title}”`)
})

document.addEventListener('rt-message-change', ({ detail }) => {
  if (detail.origin === 'remote' && detail.op === 'upsert' && !detail.previous) say(`${detail.doc.authorName} wrote in ${detail.room}`)
})

document.addEventListener('rt-command-reject', ({ detail }) => say(`Not saved: ${detail.error.message}`))
