/**
 * The reason of a row whose id repeats one met earlier, in the user's terms: ids are kept internally as keys
 * (`ext:<source>:<id>` for customers) or derived from a row's content when it has none (`h:…`, derived-id.ts),
 * and neither is what the user wrote.
 */

/**
 * Ids derived from a row's content when it has none (derived-id.ts). A user may still write an id starting with
 * "h:"; it then reads as a repeated row, which, having the same id, it is taken for.
 */
const DERIVED_ID_FIELDS = new Set(['event_id', 'ticket_event_id']);

/** `where` says where the first one was: "first at line 2", "already earlier in this import". */
export function duplicateReason(idField: string, id: string, where: string): string {
  // Only the fields whose ids Kept derives or keys: an order id written as "h:1" is the user's own.
  if (DERIVED_ID_FIELDS.has(idField) && id.startsWith('h:')) return `the same row again without an ${idField} (same content; ${where})`;
  const customer = idField === 'customer_id' ? /^ext:([^:]*):(.*)$/s.exec(id) : null;
  if (customer) return `duplicate ${idField} '${customer[2]}' of source '${customer[1]}' (${where})`;
  return `duplicate ${idField} '${id}' (${where})`;
}
