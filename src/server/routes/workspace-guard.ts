import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../app.js';
import { sendAppError } from '../problem.js';
import type { WorkspaceContext } from '../../store/repositories/workspace-settings.js';

/** Resolves `?workspace=` (or the default) or answers 404 problem+json; returns null when it answered. */
export async function workspaceOf(
  deps: AppDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  requested: string | undefined,
): Promise<WorkspaceContext | null> {
  const id = requested ?? deps.defaultWorkspace;
  const workspace = await deps.workspaces.get(id);
  if (!workspace) {
    await sendAppError(reply, request, { type: 'not_found', detail: `workspace '${id}' does not exist` });
    return null;
  }
  return workspace;
}
