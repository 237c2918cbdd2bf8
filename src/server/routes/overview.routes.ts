import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppDeps } from '../app.js';
import { sendResult } from '../problem.js';
import { getOverview } from '../services/overview-service.js';
import { overviewQuery, overviewResponse, problemResponses } from './schemas.js';
import { workspaceOf } from './workspace-guard.js';

export function registerOverviewRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/overview',
    {
      schema: {
        tags: ['overview'],
        summary: 'Totals, interaction volumes by channel and survey scores over a date range',
        querystring: overviewQuery,
        response: { 200: overviewResponse, ...problemResponses },
      },
    },
    async (request, reply) => {
      const ws = await workspaceOf(deps, request, reply, request.query.workspace);
      if (!ws) return reply;
      return sendResult(reply, request, await getOverview(deps.engine, ws.id, request.query));
    },
  );
}
