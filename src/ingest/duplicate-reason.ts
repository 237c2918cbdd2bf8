/**
 * The reason of a row whose id repeats one met earlier, in the user's terms: ids are kept internally as keys
 * (`ext:<source>:<id>` for customers) or derived from a row's content when it has none (`h:…`, derived-id.ts),
 * and neither is what the user wrote.
 */

/** `where` says where the first one was: "first at line 2", "already earlier in this import". */
export function duplicateReason(idField: string, id: string, where: string): string {
  if (id.startsWith('h:')) return `the same row again without an ${idField} (same content; ${where})`;
  const customer = /^ext:([^:]*):(.*)$/s.exec(id);
  if (customer) return `duplicate ${idField} '${customer[2]}' of source '${customer[1]}' (${where})`;
  return `duplicate ${idField} '${id}' (${where})`;
}
