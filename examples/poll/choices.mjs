/** The choices of every poll: the config validates votes against them, the widget shows them. */
export const CHOICES = ['red', 'green', 'blue']

/** A poll whose name starts with this is closed: the server refuses new and changed votes. */
export const CLOSED_PREFIX = 'closed-'
