/**
 * RFC 9457 problem details: every error the API returns has this shape and content type, mapped from
 * {@link AppError} in one place. Unknown errors become a generic 500 carrying the request id, and are logged.
 */
import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { AppError, FieldError, Result } from '../core/result.js';
import { BUSY_RETRY_AFTER_S, HeavyWorkBusyError } from './services/heavy-work.js';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  requestId?: string;
  errors?: FieldError[];
}

const STATUS: Record<AppError['type'], { status: number; title: string }> = {
  not_found: { status: 404, title: 'Not found' },
  bad_request: { status: 400, title: 'Bad request' },
  conflict: { status: 409, title: 'Conflict' },
  payload_too_large: { status: 413, title: 'Payload too large' },
};

export function sendProblem(reply: FastifyReply, request: FastifyRequest, problem: Omit<Problem, 'instance' | 'requestId'>) {
  return reply
    .status(problem.status)
    .type('application/problem+json')
    .send({ ...problem, instance: request.url, requestId: request.id });
}

export function sendAppError(reply: FastifyReply, request: FastifyRequest, error: AppError) {
  const { status, title } = STATUS[error.type];
  return sendProblem(reply, request, {
    type: `https://kept.dev/problems/${error.type.replaceAll('_', '-')}`,
    title,
    status,
    detail: error.detail,
    ...(error.type === 'bad_request' && error.errors ? { errors: error.errors } : {}),
  });
}

/** Sends `result.value` as JSON or the error as problem+json. */
export function sendResult<T>(reply: FastifyReply, request: FastifyRequest, result: Result<T, AppError>, status = 200) {
  if (!result.ok) return sendAppError(reply, request, result.error);
  return reply.status(status).send(result.value);
}

export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (hasZodFastifySchemaValidationErrors(error)) {
    const errors = error.validation.map((v) => ({
      field: [error.validationContext, ...String(v.instancePath).split('/').filter(Boolean)].join('.'),
      reason: v.message ?? 'invalid',
    }));
    return sendAppError(reply, request, {
      type: 'bad_request',
      detail: errors.map((e) => `${e.field}: ${e.reason}`).join('; '),
      errors,
    });
  }
  if (error.statusCode === 413 || error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return sendAppError(reply, request, { type: 'payload_too_large', detail: error.message });
  }
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return sendClientError(reply, request, 415, `Content-Type '${request.headers['content-type'] ?? ''}' is not accepted: send application/json`);
  }
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) return sendClientError(reply, request, error.statusCode, error.message);
  if ((error as unknown) instanceof HeavyWorkBusyError) {
    // Not the client's fault nor a bug, but operators should see that the store's large computations are backed up.
    request.log.warn({ url: request.url }, error.message);
    void reply.header('retry-after', String(BUSY_RETRY_AFTER_S));
    return sendProblem(reply, request, { type: 'https://kept.dev/problems/busy', title: 'Service unavailable', status: 503, detail: error.message });
  }
  request.log.error({ err: error }, 'unhandled error');
  return sendProblem(reply, request, {
    type: 'https://kept.dev/problems/internal',
    title: 'Internal server error',
    status: 500,
    detail: `Something went wrong on our side; quote request id ${request.id} when reporting it.`,
  });
}

/** A client error the framework raised (415, 414, a malformed URL …), named after its status. */
export function sendClientError(reply: FastifyReply, request: FastifyRequest, status: number, detail: string) {
  const phrase = STATUS_CODES[status] ?? 'Bad Request';
  return sendProblem(reply, request, {
    type: `https://kept.dev/problems/${phrase.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}`,
    // Sentence case, as the API's own titles ('Bad request'); acronyms stay as they are ('URI too long').
    title: phrase
      .split(' ')
      .map((word, i) => (i === 0 || /^[A-Z]{2,}$/.test(word) ? word : word.toLowerCase()))
      .join(' '),
    status,
    detail,
  });
}

/** The OpenAPI document with every error response (4xx, 5xx) given as application/problem+json, as it is sent. */
export function problemContentTypes<T>(document: T): T {
  const paths = (document as { paths?: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, unknown> }> }>> }).paths ?? {};
  for (const operations of Object.values(paths)) {
    for (const operation of Object.values(operations)) {
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        const json = response.content?.['application/json'];
        if (!/^[45]/.test(status) || json === undefined) continue;
        response.content = { 'application/problem+json': json };
      }
    }
  }
  return document;
}
