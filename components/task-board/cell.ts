/** The cells of a card's row, left to right. */
export const Cell = { title: 0, move: 1, remove: 2 } as const
export type Cell = (typeof Cell)[keyof typeof Cell]
