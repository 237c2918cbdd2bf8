/**
 * The batch route takes `records` as a bare array: each record is checked on its own by the import validation (so
 * that a bad one comes back in `errors` while the others are stored), and checking them in the request schema too
 * cost more than parsing the body. Left so, the OpenAPI document would say nothing of a record's fields. This fills
 * them in from the zod schemas that validation is checked against (src/ingest/schemas, test/ingest/equivalence):
 * one component per entity, and the route's `records.items` as any of them (the path's entity decides which).
 */
import { z } from 'zod';
import { ENTITIES, type Entity } from '../core/records.js';
import { ENTITY_SCHEMAS } from '../ingest/validate.js';

const componentName = (entity: Entity) => `${entity[0]!.toUpperCase()}${entity.slice(1)}Record`;

let recordSchemas: Record<string, unknown> | undefined;

/** Each entity's record as JSON Schema, as a client sends it (before coercion). */
function recordComponents(): Record<string, unknown> {
  recordSchemas ??= Object.fromEntries(
    ENTITIES.map((entity) => {
      const { $schema: _dialect, ...schema } = z.toJSONSchema(ENTITY_SCHEMAS[entity], { io: 'input', unrepresentable: 'any' });
      const description =
        `A record of ${entity}, with the fields of the ${entity} import (docs/ingestion.md). Required fields and ` +
        'alternatives are named in the field descriptions; the rules across fields (at least one identifier) are ' +
        'checked per record, and a record that breaks them comes back in `errors`.';
      return [componentName(entity), { ...schema, description }];
    }),
  );
  return recordSchemas;
}

interface Document {
  paths?: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: { properties?: Record<string, Record<string, unknown>> } }> } }>>;
  components?: { schemas?: Record<string, unknown> };
}

/** The OpenAPI document with the batch route's records described (see the module comment). */
export function documentBatchRecords<T>(document: T): T {
  const doc = document as Document;
  const records = doc.paths?.['/api/v1/{entity}/batch']?.post?.requestBody?.content?.['application/json']?.schema?.properties?.records;
  if (!records) return document;
  // anyOf, not oneOf: records allow fields of their own (reported as warnings), so one may match several schemas.
  records.items = { anyOf: ENTITIES.map((entity) => ({ $ref: `#/components/schemas/${componentName(entity)}` })) };
  doc.components = { ...doc.components, schemas: { ...doc.components?.schemas, ...recordComponents() } };
  return document;
}
