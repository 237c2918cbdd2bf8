import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../app.js';
import { listWorkspaces } from '../../store/repositories/workspace-repository.js';

export function registerWorkspaceRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/workspaces',
    {
      schema: {
        tags: ['workspaces'],
        summary: 'List workspaces',
        response: { 200: z.object({ items: z.array(z.object({ id: z.string(), name: z.string() })), default: z.string() }) },
      },
    },
    async () => {
      const items = await listWorkspaces(deps.engine);
      return { items: items.map((w) => ({ id: w.id, name: w.name })), default: deps.defaultWorkspace };
    },
  );
}
