/**
 * Raised for a frame that is not what the venue's protocol says it should be. In a file of its own so
 * that parsers outside the venue folders (trades/) can raise it without importing the adapter types.
 */
export class MalformedFrameError extends Error {}
