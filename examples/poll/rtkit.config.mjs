// The operator's config for the poll example: `npx rtkit-server` in this folder reads it.
import { defineConfig, defineCollection, defineFunction, FunctionError, tasks } from 'rtkit-server/config'
import { z } from 'zod'
import { CHOICES, CLOSED_PREFIX, creatorOf } from './choices.mjs'

const open = (poll) => !poll.startsWith(CLOSED_PREFIX)

export default defineConfig({
  collections: [
    tasks,
    defineCollection({
      name: 'votes',
      partitionKey: 'poll', // one partition (and one live topic) per poll
      // `closed` is set by close-poll on every vote it counted; a client may only ever set it to true on its own vote.
      fields: { choice: z.enum(CHOICES), closed: z.literal(true).optional() },
      derive: (user) => ({ voter: user.id }), // set by the server from the token; never sent
      order: ['choice'],
      rules: {
        read: () => true,
        // A poll named closed-… takes no votes.
        create: (user, vote) => open(vote.poll),
        // Only the voter changes or takes back a vote, while the poll is open and the vote not counted by close-poll.
        update: (user, vote) => vote.voter === user.id && open(vote.poll) && !vote.closed,
        remove: (user, vote) => vote.voter === user.id && open(vote.poll) && !vote.closed,
      },
    }),
    // One document per poll, written by the widget when someone opens a poll nobody opened before.
    // The poll's creator is the author (`createdBy`, set by the server from the token) of its earliest one.
    defineCollection({
      name: 'polls',
      partitionKey: 'poll',
      fields: {},
      rules: {
        read: () => true,
        create: (user, poll) => open(poll.poll),
        // no update or remove: refused
      },
    }),
    // The tally close-poll writes. No create, update or remove rule: clients cannot write it, only the function.
    defineCollection({
      name: 'results',
      partitionKey: 'poll',
      fields: {
        counts: z.object(Object.fromEntries(CHOICES.map((choice) => [choice, z.number().int().min(0)]))),
        total: z.number().int().min(0),
        closedAt: z.iso.datetime(),
      },
      derive: (user) => ({ closedBy: user.id }),
      rules: { read: () => true },
    }),
  ],
  functions: [
    defineFunction({
      name: 'close-poll',
      input: z.object({ poll: z.string().min(1).max(128) }),
      // `rules.call` sees only the caller and the input; who created the poll is in the database, so the handler checks it.
      rules: { call: (user, input) => open(input.poll) },
      handler: async ({ poll }, ctx) => {
        const creator = creatorOf(await ctx.collections.polls.list(poll))
        if (creator === undefined) throw new FunctionError(404, `nobody has opened the poll ${poll}`)
        if (creator !== ctx.user.id) throw new FunctionError(403, `only the poll's creator can close ${poll}`, { code: 'not_creator' })
        if ((await ctx.collections.results.list(poll)).length > 0) {
          throw new FunctionError(409, `the poll ${poll} is closed already`, { code: 'poll_closed' })
        }
        const votes = await ctx.collections.votes.list(poll)
        // Counted votes are locked: the votes rules refuse changing or taking back a closed vote.
        for (const vote of votes) if (!vote.closed) await ctx.collections.votes.update(vote.id, { closed: true })
        const counts = Object.fromEntries(CHOICES.map((choice) => [choice, votes.filter((vote) => vote.choice === choice).length]))
        const results = await ctx.collections.results.insert({ poll, counts, total: votes.length, closedAt: new Date().toISOString() })
        ctx.log.info({ poll, total: votes.length }, 'poll closed')
        return { counts: results.counts, total: results.total, closedBy: results.closedBy, closedAt: results.closedAt }
      },
    }),
  ],
})
