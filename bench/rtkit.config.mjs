// The benchmark's server: the two built-ins plus one collection declared as an
// operator would, so figure `realtime.custom` measures the generic path on the
// same stack and run as `realtime` measures the built-in one.
import { defineCollection, defineConfig, messages, tasks, text } from '../server/collections/config-entry.ts'

export default defineConfig({
  collections: [
    tasks,
    messages,
    defineCollection({
      name: 'notes',
      partitionKey: 'page',
      fields: { title: text({ max: 200 }) },
      order: ['title'],
      rules: { read: () => true, create: () => true, update: () => true, remove: () => true },
    }),
  ],
})
