import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppDeps } from '../app.js';
import { sendResult } from '../problem.js';
import { journeyServicesFor } from '../services/journey-friction-service.js';
import { getNextBestActions, getPersonas, getRevenueAtRisk, getSilentChurn, getValueSummary } from '../services/value-insights-service.js';
import { createSegment, getNbaRules, getSegments, removeSegment, replaceSegment, saveNbaRules } from '../services/value-rules-service.js';
import { computedProblemResponses, problemResponses, workspaceQuery } from './schemas.js';
import {
  limitQuery,
  nbaRulesBody,
  nbaRulesResponse,
  nextBestActionsResponse,
  personasResponse,
  revenueAtRiskResponse,
  segmentBody,
  segmentDeletedResponse,
  segmentIdParams,
  segmentResponse,
  segmentsResponse,
  silentChurnResponse,
  valueSummaryResponse,
} from './value-schemas.js';
import { workspaceOf } from './workspace-guard.js';

export function registerValueRoutes(app: FastifyInstance, deps: AppDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['value'];
  const responses = <T>(ok: T) => ({ 200: ok, ...problemResponses });
  // Views of every customer's features (built in the store's queue of large computations): may also answer 503.
  const computed = <T>(ok: T) => ({ 200: ok, ...computedProblemResponses });

  api.get(
    '/value/summary',
    { schema: { tags, summary: 'CLV distribution, the chosen model and its holdout validation (incl. weekly tracking)', querystring: workspaceQuery, response: computed(valueSummaryResponse) } },
    async (request, reply) => {
      const ws = await workspaceOf(deps, request, reply, request.query.workspace);
      if (!ws) return reply;
      return sendResult(reply, request, await getValueSummary(deps.engine, ws.id));
    },
  );
  api.get(
    '/value/segments',
    { schema: { tags, summary: 'Saved rule-based segments with live counts', querystring: workspaceQuery, response: computed(segmentsResponse) } },
    async (request, reply) => {
      const ws = await workspaceOf(deps, request, reply, request.query.workspace);
      if (!ws) return reply;
      return sendResult(reply, request, await getSegments(deps.engine, ws.id));
    },
  );
  api.post(
    '/value/segments',
    { schema: { tags, summary: 'Save a rule-based segment', querystring: workspaceQuery, body: segmentBody, response: { 201: segmentResponse, ...problemResponses } } },
    async (request, reply) => {
      const ws = await workspaceOf(deps, request, reply, request.query.workspace);
      if (!ws) return reply;
      return sendResult(reply, request, await createSegment(deps.engine, ws.id, request.body), 201);
    },
  );
  api.put(
    '/value/segments/:id',
    { schema: { tags, summary: 'Replace a saved segment', params: segmentIdParams, querystring: workspaceQuery, body: segmentBody, response: responses(segmentResponse) } },
    async (request, reply) => {
      const ws = await workspaceOf(deps, request, reply, request.query.workspace);
      if (!ws) return reply;
      return sendResult(reply, request, await replaceSegment(deps.engine, ws.id, request.params.id, request.body));
    },
  );
  api.delete(
    '/value/segments/:id',
    { schema: { tags, summary: 'Delete a saved segment', params: segmentIdParams, querystring: workspaceQuery, response: responses(segmentDeletedResponse) } },
    async (request, reply) => {
      const ws = await workspaceOf(deps, request, reply, request.query.workspace);
      if (!ws) return reply;
      return sendResult(reply, request, await removeSegment(deps.engine, ws.id, request.params.id));
    },
  );
  api.get(
    '/value/personas',
    { schema: { tags, summary: 'Behavioural clusters (k-means, k by silhouette) described in plain language', querystring: workspaceQuery, response: computed(personasResponse) } },
    async (request, reply) => {
      const ws = await workspaceOf(deps, request, reply, request.query.workspace);
      if (!ws) return reply;
      return sendResult(reply, request, await getPersonas(deps.engine, ws.id));
    },
  );
  api.get(
    '/value/silent-churn',
    { schema: { tags, summary: 'Satisfied customers whose buying fades, ranked by value at stake', querystring: limitQuery, response: computed(silentChurnResponse) } },
    async (request, reply) => {
      const ws = await workspaceOf(deps, request, reply, request.query.workspace);
      if (!ws) return reply;
      return sendResult(reply, request, await getSilentChurn(deps.engine, ws.id, request.query.limit));
    },
  );
  api.get(
    '/value/revenue-at-risk',
    { schema: { tags, summary: 'CLV-weighted exposure per segment, persona, service failure and journey friction item', querystring: workspaceQuery, response: computed(revenueAtRiskResponse) } },
    async (request, reply) => {
      const ws = await workspaceOf(deps, request, reply, request.query.workspace);
      if (!ws) return reply;
      const { friction } = journeyServicesFor(deps.engine);
      // The ranking queues with the store's other big computations itself (services/heavy-work.ts).
      const ranked = async () => (await friction.frictionWithCustomers(ws.id)).entries;
      return sendResult(reply, request, await getRevenueAtRisk(deps.engine, ws.id, ranked));
    },
  );
  api.get(
    '/value/next-best-actions',
    { schema: { tags, summary: 'One proposed action per customer with the reason, highest CLV first', querystring: limitQuery, response: computed(nextBestActionsResponse) } },
    async (request, reply) => {
      const ws = await workspaceOf(deps, request, reply, request.query.workspace);
      if (!ws) return reply;
      return sendResult(reply, request, await getNextBestActions(deps.engine, ws.id, request.query.limit));
    },
  );
  api.get(
    '/value/next-best-actions/rules',
    { schema: { tags, summary: 'The next-best-action rule set (the default until one is saved)', querystring: workspaceQuery, response: responses(nbaRulesResponse) } },
    async (request, reply) => {
      const ws = await workspaceOf(deps, request, reply, request.query.workspace);
      if (!ws) return reply;
      return sendResult(reply, request, await getNbaRules(deps.engine, ws.id));
    },
  );
  api.put(
    '/value/next-best-actions/rules',
    { schema: { tags, summary: 'Replace the next-best-action rule set', querystring: workspaceQuery, body: nbaRulesBody, response: responses(nbaRulesResponse) } },
    async (request, reply) => {
      const ws = await workspaceOf(deps, request, reply, request.query.workspace);
      if (!ws) return reply;
      return sendResult(reply, request, await saveNbaRules(deps.engine, ws.id, request.body));
    },
  );
}
