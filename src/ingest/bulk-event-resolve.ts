/**
 * The identity half of the bulk event import (bulk-event-import.ts): each distinct identifier combination is
 * normalised once and resolved to a profile, a page at a time, and its profile stored in `import_tuple_map` for
 * the final insert. Whatever the file's size, JavaScript holds one page of combinations, the import's bounded
 * caches, and one entry per merge; notes for the rejects file wait in the database (`import_notes`).
 */
import type { IdentityConfig } from '../core/identity/config.js';
import { survivorOf } from '../core/identity/merge-chain.js';
import { fieldOfKey, normaliseIdentifiers, type IdentityKey } from '../core/identity/normalise.js';
import type { RowRejection } from '../core/records.js';
import type { Queryable, SqlValue } from '../store/engines/engine.js';
import { type Exclusions, type IdentifierTuple, type TupleNote, followMerges, loadKeyed, rowsOfNotedTuples } from '../store/repositories/event-file-rows.js';
import { hasIdentities } from '../store/repositories/identity-repository.js';
import { blockedReason, type BatchOutcome } from './batch-writer.js';
import { applyPendingMerges, resolveIdentities, type ProfileCache } from './identity-step.js';
import { StoredIdFilter } from './stored-id-filter.js';

/** Rows read or written per statement when paging through the staged rows' notes. */
const NOTE_PAGE = 50_000;

/**
 * Past this many keys linked by a first import, the filter of the keys it linked (~16 bytes a key) is dropped
 * and every key is looked up in the store instead: slower, but memory stays bounded whatever the file.
 */
const MAX_FILTERED_KEYS = 4_000_000;

export interface NoteSink {
  reject: (items: RowRejection[]) => Promise<void>;
  warn: (items: RowRejection[]) => Promise<void>;
}

/**
 * Notes on combinations (a combination's rejection or warnings, given for each of its rows), stored a page at a
 * time in `import_notes` so none is held for the whole file; {@link NoteWriter.writeAll} then writes them row by
 * row in file order. One writer at a time uses the table: a new writer's first flush replaces it (the two-pass
 * import writes the first pass's notes before the resolver's writer starts).
 */
export class NoteWriter {
  private pending: SqlValue[][] = [];
  private count = 0;
  private created = false;

  add(seq: number, note: TupleNote): void {
    this.pending.push([seq, this.count++, note.kind, note.field, note.reason]);
  }

  /** Stores the notes added since the last flush. */
  async flush(tx: Queryable): Promise<void> {
    if (this.pending.length === 0) return;
    await loadKeyed(tx, 'import_notes', this.pending, this.created);
    this.created = true;
    this.pending = [];
  }

  /** Writes every note for each row of its combination, leaving out `excluded` rows. */
  async writeAll(tx: Queryable, sink: NoteSink, excluded?: Exclusions, workspaceId?: string): Promise<void> {
    if (this.count === 0) return;
    await this.flush(tx);
    for (let after = { pos: -1, note: -1 }; ; ) {
      const page = await rowsOfNotedTuples(tx, after, NOTE_PAGE, excluded, workspaceId);
      if (page.length === 0) return;
      after = page[page.length - 1]!;
      const rejected: RowRejection[] = [];
      const warned: RowRejection[] = [];
      for (const n of page) (n.kind === 'rejected' ? rejected : warned).push({ line: n.pos + 2, field: n.field, reason: n.reason });
      await sink.reject(rejected);
      await sink.warn(warned);
    }
  }
}

const FIELD_NAMES: Record<string, string> = { customerId: 'customer_id', anonymousId: 'anonymous_id', email: 'email', phone: 'phone' };
const inputField = (field: string): string => FIELD_NAMES[field] ?? field;

/**
 * A combination's identity keys, normalised; `null` when none is usable (its rows are rejected). Rejected and
 * blocked identifiers are noted; blocked ones are counted for each of the combination's rows.
 */
export function normaliseTuple(t: IdentifierTuple, config: IdentityConfig, out: BatchOutcome, notes: NoteWriter): readonly IdentityKey[] | null {
  // Not through the import's normalisation cache (normalise-cached.ts): every combination comes once, so the
  // cache would only hold its results longer, and promoting them costs the collector more than it saves. Measured
  // on the 2M-event import: 6.3–6.4 s without it, 6.8–7.4 s with it (three pairs, alternated).
  const ids = normaliseIdentifiers(
    {
      source: t.source ?? undefined,
      customerId: t.customerId ?? undefined,
      email: t.email ?? undefined,
      phone: t.phone ?? undefined,
      anonymousId: t.anonymousId ?? undefined,
    },
    config,
  );
  out.blocked += ids.blocked.length * t.rows;
  if (ids.keys.length === 0) {
    const why = ids.rejections.map((r) => `${inputField(r.field)}: ${r.reason}`);
    if (ids.blocked.length > 0) why.push(`blocked identifier ${ids.blocked.map((b) => b.key).join(', ')}`);
    const field = ids.rejections[0] ? inputField(ids.rejections[0].field) : ids.blocked[0] ? fieldOfKey(ids.blocked[0].key) : 'customer_id';
    notes.add(t.seq, { kind: 'rejected', field, reason: `no usable identifier (${why.join('; ') || 'none given'})` });
    return null;
  }
  for (const r of ids.rejections) notes.add(t.seq, { kind: 'warning', field: inputField(r.field), reason: `${r.reason}; identifier ignored` });
  for (const b of ids.blocked) notes.add(t.seq, { kind: 'warning', field: b.type, reason: blockedReason(b.key) });
  return ids.keys;
}

/** A combination's keys as kept in `import_tuple_keys` between the two passes: JSON of [type, value, key]. */
export const encodeKeys = (keys: readonly IdentityKey[]): string => JSON.stringify(keys.map((k) => [k.type, k.value, k.key]));
export const decodeKeys = (text: string): IdentityKey[] =>
  (JSON.parse(text) as [IdentityKey['type'], string, string][]).map(([type, value, key]) => ({ type, value, key }));

/** A combination to resolve: its number, keys, and the time and event id of its first row to store. */
export interface ResolveItem {
  seq: number;
  keys: readonly IdentityKey[];
  firstMs: number;
  firstEventId: string;
}

export interface ResolverOptions {
  workspaceId: string;
  identityConfig: IdentityConfig;
  /** Used when the combinations take more than one page: it serves the later pages. */
  cache?: ProfileCache | undefined;
}

/**
 * Resolves pages of combinations in file order of their first row, in the import's transaction, and stores
 * each combination's profile in `import_tuple_map`; {@link TupleResolver.finish} points them at the survivors
 * of later merges and writes the notes.
 */
export class TupleResolver {
  readonly notes = new NoteWriter();
  /** Merged profile → the one that absorbed it: one entry per merge. */
  private readonly mergedInto = new Map<number, number>();
  private mapped = 0;
  private storedKeys: StoredIdFilter | undefined;
  private readonly now = Date.now();

  private constructor(
    private readonly opts: ResolverOptions,
    private readonly out: BatchOutcome,
    firstImport: boolean,
  ) {
    // Into a workspace without identities (a first import), no key is looked up: the filter knows only the keys
    // this import links.
    this.storedKeys = firstImport ? new StoredIdFilter() : undefined;
  }

  static async open(tx: Queryable, opts: ResolverOptions, out: BatchOutcome): Promise<TupleResolver> {
    return new TupleResolver(opts, out, !(await hasIdentities(tx, opts.workspaceId)));
  }

  async resolve(tx: Queryable, page: readonly ResolveItem[]): Promise<void> {
    if (page.length === 0) return;
    const { workspaceId, identityConfig, cache } = this.opts;
    // The first row of a combination is the record that introduces its identifiers, as in the batch pipeline.
    const inputs = page.map((p) => ({ ref: `events:${p.firstEventId}`, keys: p.keys as IdentityKey[], at: p.firstMs }));
    const identity = await resolveIdentities(tx, workspaceId, inputs, identityConfig, this.now, cache, this.storedKeys);
    if (this.storedKeys && this.storedKeys.size > MAX_FILTERED_KEYS) this.storedKeys = undefined;
    // The page's merges are applied at once, so the next page looks its keys up in the merged state (as the next
    // batch of the batch pipeline does); this import's rows, inserted at the end, go straight to the survivors.
    await applyPendingMerges(tx, workspaceId, identity, this.now);
    for (const m of identity.merges) this.mergedInto.set(m.fromProfileId, m.intoProfileId);
    this.out.newProfiles += identity.newProfiles;
    this.out.merges += identity.merges.length;
    for (const d of identity.dropped) this.notes.add(page[d.recordIndex]!.seq, { kind: 'warning', field: fieldOfKey(d.key), reason: `${d.key} not linked: ${d.reason}` });
    const map: SqlValue[][] = [];
    identity.assignments.forEach((a, i) => {
      const seq = page[i]!.seq;
      if (a) map.push([seq, a.profileId, a.customerKey]);
      // Left out of the map: its rows are not stored.
      else this.notes.add(seq, { kind: 'rejected', field: '', reason: 'no identifier could be linked to a profile' });
    });
    await loadKeyed(tx, 'import_tuple_map', map, this.mapped > 0);
    this.mapped += map.length;
    await this.notes.flush(tx);
  }

  /** Points combinations at the survivors of merges decided after them; true when any combination has a profile. */
  async finish(tx: Queryable): Promise<boolean> {
    if (this.mapped === 0) return false;
    await followMerges(tx, [...this.mergedInto.keys()].map((from) => [from, survivorOf(from, this.mergedInto)]));
    return true;
  }
}
