/**
 * Builds the HTTP application (routes → services → store) without listening, so tests drive it in-process with
 * `app.inject` and `kept serve` adds only the socket.
 */
import { existsSync } from 'node:fs';
import Fastify, { type FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import { documentBatchRecords } from './openapi-records.js';
import fastifySwagger from '@fastify/swagger';
import { jsonSchemaTransform, jsonSchemaTransformObject, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Engine } from '../store/engines/engine.js';
import { errorHandler, problemContentTypes, sendClientError, sendProblem } from './problem.js';
import { WorkspaceDirectory } from '../store/repositories/workspace-settings.js';
import { registerCustomerRoutes } from './routes/customers.routes.js';
import { registerIngestRoutes } from './routes/ingest.routes.js';
import { registerJourneyRoutes } from './routes/journeys.routes.js';
import { registerOverviewRoutes } from './routes/overview.routes.js';
import { registerValueRoutes } from './routes/value.routes.js';
import { registerWorkspaceRoutes } from './routes/workspaces.routes.js';
import { limitHeavyWait, waitingForOneRequest } from './services/heavy-work.js';

export interface AppOptions {
  engine: Engine;
  defaultWorkspace: string;
  /** Built dashboard (dist/web); omitted in API-only tests. */
  webRoot?: string | undefined;
  logLevel?: string;
  version?: string;
  /** How long a large computation may wait behind others (heavy-work.ts); default 300 s. */
  heavyWaitMs?: number | undefined;
}

export interface AppDeps {
  engine: Engine;
  workspaces: WorkspaceDirectory;
  defaultWorkspace: string;
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  if (options.heavyWaitMs !== undefined) limitHeavyWait(options.engine, options.heavyWaitMs);
  const app = Fastify({
    logger: { level: options.logLevel ?? 'info' },
    bodyLimit: 64 * 1024 * 1024,
    genReqId: () => crypto.randomUUID(),
    // A record with a "__proto__" or "constructor" key loses that key (which no column takes) instead of the whole
    // request being refused: records are validated one by one.
    onProtoPoisoning: 'remove',
    onConstructorPoisoning: 'remove',
    // Errors raised before routing (a malformed URL, an over-long parameter) are problems like any other.
    frameworkErrors: (error, request, reply) => {
      void sendClientError(reply, request, error.statusCode ?? 400, error.message);
    },
  }).withTypeProvider<ZodTypeProvider>();
  // Bodies are JSON: anything else is refused (415) rather than read as a string the schema then rejects.
  app.removeContentTypeParser('text/plain');
  // Each route's path as a pattern, to answer 405 (with Allow) for a path that exists under other methods.
  const routes: { method: string; pattern: RegExp }[] = [];
  app.addHook('onRoute', (route) => {
    const pattern = new RegExp(`^${route.url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:[A-Za-z_]+/g, '[^/]+')}/?$`);
    for (const method of [route.method].flat()) routes.push({ method, pattern });
  });
  // The large computations a request waits for share one wait limit (heavy-work.ts). Right before the handler, so
  // that the body has been read: the handler and everything it awaits run inside.
  app.addHook('preHandler', (_request, _reply, done) => waitingForOneRequest(done));
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Kept API',
        version: options.version ?? '0.1.0',
        description: 'Customer 360, ingestion and overview. Errors are application/problem+json (RFC 9457).',
      },
      tags: [
        { name: 'workspaces' },
        { name: 'overview' },
        { name: 'customers', description: 'Customer 360' },
        { name: 'ingestion' },
        { name: 'value', description: 'Customer value: CLV, segments, personas, silent churn, revenue at risk, next-best-action' },
        { name: 'journeys', description: 'Designed and discovered journeys, funnels, conformance, friction' },
      ],
    },
    transform: jsonSchemaTransform,
    transformObject: (document) => documentBatchRecords(problemContentTypes(jsonSchemaTransformObject(document))),
  });

  const deps: AppDeps = { engine: options.engine, workspaces: new WorkspaceDirectory(options.engine), defaultWorkspace: options.defaultWorkspace };
  app.get('/api/health', { schema: { hide: true } }, () => ({ status: 'ok', store: options.engine.kind }));
  app.get('/api/openapi.json', { schema: { hide: true } }, () => app.swagger());
  await app.register(
    (api, _opts, done) => {
      registerWorkspaceRoutes(api, deps);
      registerOverviewRoutes(api, deps);
      registerCustomerRoutes(api, deps);
      registerIngestRoutes(api, deps);
      registerValueRoutes(api, deps);
      registerJourneyRoutes(api, deps);
      done();
    },
    { prefix: '/api/v1' },
  );

  if (options.webRoot && existsSync(options.webRoot)) {
    await app.register(fastifyStatic, { root: options.webRoot, prefix: '/', wildcard: false });
  }
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0]!;
    const allowed = [...new Set(routes.filter((r) => r.pattern.test(path)).map((r) => r.method))].filter((m) => m !== 'HEAD');
    if (path.startsWith('/api') && allowed.length > 0) {
      void reply.header('allow', allowed.join(', '));
      return sendClientError(reply, request, 405, `${request.method} is not allowed on ${path}; allowed: ${allowed.join(', ')}`);
    }
    if (request.url.startsWith('/api') || !options.webRoot || !existsSync(options.webRoot)) {
      return sendProblem(reply, request, {
        type: 'https://kept.dev/problems/not-found',
        title: 'Not found',
        status: 404,
        detail: `No route ${request.method} ${request.url.split('?')[0]}`,
      });
    }
    // The dashboard routes in the browser: unknown paths get the app shell.
    return reply.sendFile('index.html');
  });
  return app;
}
