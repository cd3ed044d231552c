// The operator's config for the poll example: `npx rtkit-server` in this folder reads it.
import { defineConfig, defineCollection, tasks } from 'rtkit-server/config'
import { z } from 'zod'
import { CHOICES, CLOSED_PREFIX } from './choices.mjs'

const open = (poll) => !poll.startsWith(CLOSED_PREFIX)

export default defineConfig({
  collections: [
    tasks,
    defineCollection({
      name: 'votes',
      partitionKey: 'poll', // one partition (and one live topic) per poll
      fields: { choice: z.enum(CHOICES) },
      derive: (user) => ({ voter: user.id }), // set by the server from the token; never sent
      order: ['choice'],
      rules: {
        read: () => true,
        // A poll named closed-… takes no votes.
        create: (user, vote) => open(vote.poll),
        // Only the voter changes or takes back a vote, and only while the poll is open.
        update: (user, vote) => vote.voter === user.id && open(vote.poll),
        remove: (user, vote) => vote.voter === user.id && open(vote.poll),
      },
    }),
  ],
})
