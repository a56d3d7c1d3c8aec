/** Bad usage or an input that cannot be used: the message is printed as one line, the exit status is 2. */
export class UsageError extends Error {}
