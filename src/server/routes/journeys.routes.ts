import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ok } from '../../core/result.js';
import type { AppDeps } from '../app.js';
import { sendResult } from '../problem.js';
import { journeyServicesFor } from '../services/journey-friction-service.js';
import {
  conformanceResponse,
  deleteResponse,
  designedBody,
  designedJourneyResponse,
  designedListResponse,
  designedPutResponse,
  discoverQuery,
  discoverResponse,
  frictionQuery,
  frictionResponse,
  funnelQuery,
  funnelResponse,
  journeyIdParams,
  ownerParams,
  scorecardResponse,
} from './journey-schemas.js';
import { computedProblemResponses, problemResponses, workspaceQuery } from './schemas.js';
import { workspaceOf } from './workspace-guard.js';

/** /journeys: discovery, designed journeys, funnels, conformance, friction and owner scorecards. */
export function registerJourneyRoutes(app: FastifyInstance, deps: AppDeps): void {
  // One service per store: it holds the mining cache (shared with the Value routes' revenue at risk).
  const { journeys, friction } = journeyServicesFor(deps.engine);
  const api = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['journeys'];

  api.get(
    '/journeys/discover',
    { schema: { tags, summary: 'Process discovery on all events: variants, directly-follows graph with waits, durations, handoffs, rework', querystring: discoverQuery, response: { 200: discoverResponse, ...computedProblemResponses } } },
    async (request, reply) => {
      const ws = await workspaceOf(deps, request, reply, request.query.workspace);
      if (!ws) return reply;
      const q = request.query;
      return sendResult(reply, request, await journeys.discover(ws.id, { activity: q.activity, gapDays: q.gap_days, minEdgeCount: q.min_edge_count, topVariants: q.top_variants }));
    },
  );

  api.get(
    '/journeys/designed',
    { schema: { tags, summary: 'Designed journeys of the workspace', querystring: workspaceQuery, response: { 200: designedListResponse, ...problemResponses } } },
    async (request, reply) => {
      const ws = await workspaceOf(deps, request, reply, request.query.workspace);
      if (!ws) return reply;
      return { items: await journeys.listDesigned(ws.id) };
    },
  );

  api.get(
    '/journeys/designed/:id',
    { schema: { tags, summary: 'One designed journey', params: journeyIdParams, querystring: workspaceQuery, response: { 200: designedJourneyResponse, ...problemResponses } } },
    async (request, reply) => {
      const ws = await workspaceOf(deps, request, reply, request.query.workspace);
      if (!ws) return reply;
      return sendResult(reply, request, await journeys.getDesigned(ws.id, request.params.id));
    },
  );

  api.put(
    '/journeys/designed/:id',
    {
      schema: {
        tags,
        summary: 'Create or replace a designed journey (201 when created)',
        params: journeyIdParams,
        querystring: workspaceQuery,
        body: designedBody,
        response: { 200: designedPutResponse, 201: designedPutResponse, ...problemResponses },
      },
    },
    async (request, reply) => {
      const ws = await workspaceOf(deps, request, reply, request.query.workspace);
      if (!ws) return reply;
      const result = await journeys.putDesigned(ws.id, request.params.id, request.body);
      return sendResult(reply, request, result, result.ok && result.value.created ? 201 : 200);
    },
  );

  api.delete(
    '/journeys/designed/:id',
    { schema: { tags, summary: 'Delete a designed journey', params: journeyIdParams, querystring: workspaceQuery, response: { 200: deleteResponse, ...problemResponses } } },
    async (request, reply) => {
      const ws = await workspaceOf(deps, request, reply, request.query.workspace);
      if (!ws) return reply;
      return sendResult(reply, request, await journeys.deleteDesigned(ws.id, request.params.id));
    },
  );

  api.get(
    '/journeys/designed/:id/funnel',
    { schema: { tags, summary: 'Funnel of a designed journey: reached, reached in order, time between steps, paths after drop-off', params: journeyIdParams, querystring: funnelQuery, response: { 200: funnelResponse, ...computedProblemResponses } } },
    async (request, reply) => {
      const ws = await workspaceOf(deps, request, reply, request.query.workspace);
      if (!ws) return reply;
      return sendResult(reply, request, await journeys.funnel(ws.id, request.params.id, request.query.window_days));
    },
  );

  api.get(
    '/journeys/designed/:id/conformance',
    { schema: { tags, summary: "Token-replay fitness of the actual cases against the journey's model (or its steps in sequence)", params: journeyIdParams, querystring: workspaceQuery, response: { 200: conformanceResponse, ...computedProblemResponses } } },
    async (request, reply) => {
      const ws = await workspaceOf(deps, request, reply, request.query.workspace);
      if (!ws) return reply;
      return sendResult(reply, request, await journeys.conformance(ws.id, request.params.id));
    },
  );

  api.get(
    '/journeys/friction',
    { schema: { tags, summary: 'Steps and handoffs ranked by delay × volume × downstream effect, with owners', querystring: frictionQuery, response: { 200: frictionResponse, ...computedProblemResponses } } },
    async (request, reply) => {
      const ws = await workspaceOf(deps, request, reply, request.query.workspace);
      if (!ws) return reply;
      const result = await friction.friction(ws.id);
      return sendResult(reply, request, ok({ ...result, items: result.items.slice(0, request.query.limit) }));
    },
  );

  api.get(
    '/journeys/owners/:owner',
    { schema: { tags, summary: "An owner's scorecard: their steps, measures, targets, measured times and monthly trend", params: ownerParams, querystring: workspaceQuery, response: { 200: scorecardResponse, ...computedProblemResponses } } },
    async (request, reply) => {
      const ws = await workspaceOf(deps, request, reply, request.query.workspace);
      if (!ws) return reply;
      return sendResult(reply, request, await friction.scorecard(ws.id, request.params.owner));
    },
  );
}
