/** A file that cannot be imported at all (unreadable, unknown format, no usable header): a usage error. */
export class ImportInputError extends Error {}
