/** The server's workspace directory: one lookup per workspace, shared by requests that arrive together. */
import { describe, expect, it } from 'vitest';
import type { Queryable } from '../../src/store/engines/engine.js';
import { WorkspaceDirectory } from '../../src/store/repositories/workspace-settings.js';

function countingStore(rows: Record<string, { name: string; settings: string }>) {
  const calls: string[] = [];
  const db = {
    query: async (_sql: string, params: readonly unknown[] = []) => {
      const id = String(params[0]);
      calls.push(id);
      await new Promise((r) => setTimeout(r, 5));
      const row = rows[id];
      return row ? [{ workspace_id: id, name: row.name, settings: row.settings, created_at: '2026-01-01T00:00:00Z' }] : [];
    },
  } as unknown as Queryable;
  return { db, calls };
}

describe('WorkspaceDirectory', () => {
  it('looks a workspace up once, however many requests ask for it together', async () => {
    const { db, calls } = countingStore({ a: { name: 'A', settings: '{"defaultCurrency":"EUR"}' } });
    const directory = new WorkspaceDirectory(db);
    const answers = await Promise.all([1, 2, 3, 4].map(() => directory.get('a')));
    expect(calls).toEqual(['a']);
    expect(new Set(answers).size).toBe(1);
    expect(answers[0]).toMatchObject({ id: 'a', name: 'A', defaultCurrency: 'EUR' });
    expect(await directory.get('a')).toBe(answers[0]);
    expect(calls).toEqual(['a']);
  });

  it('does not remember a workspace that does not exist (it may be created later)', async () => {
    const { db, calls } = countingStore({});
    const directory = new WorkspaceDirectory(db);
    expect(await Promise.all([directory.get('b'), directory.get('b')])).toEqual([null, null]);
    expect(await directory.get('b')).toBeNull();
    expect(calls).toEqual(['b', 'b']);
  });
});
