import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppDeps } from '../app.js';
import { sendResult } from '../problem.js';
import { getCustomer, getTimeline, searchCustomers } from '../services/customer360-service.js';
import { unmerge } from '../services/identity-service.js';
import {
  customerListResponse,
  customerResponse,
  customersQuery,
  problemResponses,
  profileIdParams,
  timelineQuery,
  timelineResponse,
  unmergeBody,
  unmergeResponse,
  workspaceQuery,
} from './schemas.js';
import { workspaceOf } from './workspace-guard.js';

export function registerCustomerRoutes(app: FastifyInstance, deps: AppDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.get(
    '/customers',
    {
      schema: {
        tags: ['customers'],
        summary: 'Search customers by any identifier or name (keyset paged)',
        querystring: customersQuery,
        response: { 200: customerListResponse, ...problemResponses },
      },
    },
    async (request, reply) => {
      const ws = await workspaceOf(deps, request, reply, request.query.workspace);
      if (!ws) return reply;
      return sendResult(reply, request, await searchCustomers(deps.engine, ws.id, request.query, ws.identity.defaultCountry));
    },
  );
  api.get(
    '/customers/:profileId',
    {
      schema: {
        tags: ['customers'],
        summary: 'A customer profile: identities and why they are linked, source records, key figures, merges',
        params: profileIdParams,
        querystring: workspaceQuery,
        response: { 200: customerResponse, ...problemResponses },
      },
    },
    async (request, reply) => {
      const ws = await workspaceOf(deps, request, reply, request.query.workspace);
      if (!ws) return reply;
      return sendResult(reply, request, await getCustomer(deps.engine, ws.id, request.params.profileId));
    },
  );
  api.get(
    '/customers/:profileId/timeline',
    {
      schema: {
        tags: ['customers'],
        summary: 'Cross-channel timeline (events, orders, tickets, feedback), newest first, keyset paged',
        description: 'For a merged-away profile id, the timeline of the live profile that absorbed it (its records are that profile\'s now).',
        params: profileIdParams,
        querystring: timelineQuery,
        response: { 200: timelineResponse, ...problemResponses },
      },
    },
    async (request, reply) => {
      const ws = await workspaceOf(deps, request, reply, request.query.workspace);
      if (!ws) return reply;
      return sendResult(reply, request, await getTimeline(deps.engine, ws.id, request.params.profileId, request.query));
    },
  );
  api.post(
    '/customers/:profileId/unmerge',
    {
      schema: {
        tags: ['customers'],
        summary: 'Undo one merge inside a profile; the two are never re-merged automatically',
        params: profileIdParams,
        querystring: workspaceQuery,
        body: unmergeBody,
        response: { 200: unmergeResponse, ...problemResponses },
      },
    },
    async (request, reply) => {
      const ws = await workspaceOf(deps, request, reply, request.query.workspace);
      if (!ws) return reply;
      return sendResult(reply, request, await unmerge(deps.engine, ws.id, request.params.profileId, request.body.mergeId));
    },
  );
}
