/**
 * Ingestion front end: read rows from CSV / JSON Lines files or streams, validate them per entity into the
 * records of `core/records.ts`. Storing them is the batch writer's job.
 */
export { detectFormat, readRows } from './read-rows.js';
export type { DetectedFormat, RawRow, ReadRowsOptions, RowFormat } from './read-rows.js';
export { parseTimestamp } from './timestamps.js';
export type { TimestampResult } from './timestamps.js';
export { deriveId } from './derived-id.js';
export { LIMITS } from './fields.js';
export {
  ENTITY_SCHEMAS,
  knownColumns,
  unknownColumnRejections,
  unknownColumns,
  validateRecord,
  validateRecordWithZod,
} from './validate.js';
export type { ValidationContext, ValidationResult } from './validate.js';
