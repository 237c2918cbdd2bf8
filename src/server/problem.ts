/**
 * RFC 9457 problem details: every error the API returns has this shape and content type, mapped from
 * {@link AppError} in one place. Unknown errors become a generic 500 carrying the request id, and are logged.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { AppError, FieldError, Result } from '../core/result.js';

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
    type: `https://kept.dev/problems/${error.type.replace('_', '-')}`,
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
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return sendProblem(reply, request, {
      type: 'https://kept.dev/problems/bad-request',
      title: 'Bad request',
      status: error.statusCode,
      detail: error.message,
    });
  }
  request.log.error({ err: error }, 'unhandled error');
  return sendProblem(reply, request, {
    type: 'https://kept.dev/problems/internal',
    title: 'Internal server error',
    status: 500,
    detail: `Something went wrong on our side; quote request id ${request.id} when reporting it.`,
  });
}
