/**
 * One Result type for the whole repo: expected failures are data, mapped to HTTP (problem+json) or CLI output
 * in one place each. Unexpected failures are thrown and become 500s / exit code 1.
 */
export type Result<T, E = AppError> = { ok: true; value: T } | { ok: false; error: E };

export type AppError =
  | { type: 'not_found'; detail: string }
  | { type: 'bad_request'; detail: string; errors?: FieldError[] | undefined }
  | { type: 'conflict'; detail: string }
  | { type: 'payload_too_large'; detail: string };

export interface FieldError {
  /** Index of the record in a batch, or line in a file. */
  index?: number | undefined;
  field?: string | undefined;
  reason: string;
}

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const err = <E>(error: E): Result<never, E> => ({ ok: false, error });
