import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppDeps } from '../app.js';
import { ingestBatch } from '../services/ingest-service.js';
import { batchBody, batchResponse, entityParams, problemResponses, workspaceQuery } from './schemas.js';
import { workspaceOf } from './workspace-guard.js';

export function registerIngestRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.withTypeProvider<ZodTypeProvider>().post(
    '/:entity/batch',
    {
      schema: {
        tags: ['ingestion'],
        summary: 'Ingest up to 10,000 records of one entity (customers, events, orders, tickets, feedback)',
        description:
          'Each record is validated on its own: valid records are stored, invalid ones come back in `errors` with their index, field and reason. ' +
          'Idempotent on source ids (event_id, order_id, …): repeating a request stores nothing twice.',
        params: entityParams,
        querystring: workspaceQuery,
        body: batchBody,
        response: { 200: batchResponse, ...problemResponses, 413: problemResponses[400], 415: problemResponses[400] },
      },
    },
    async (request, reply) => {
      const ws = await workspaceOf(deps, request, reply, request.query.workspace);
      if (!ws) return reply;
      return ingestBatch(deps.engine, ws.id, request.params.entity, request.body.records, {
        identityConfig: ws.identity,
        defaultSource: request.body.default_source,
        defaultCurrency: ws.defaultCurrency,
      });
    },
  );
}
