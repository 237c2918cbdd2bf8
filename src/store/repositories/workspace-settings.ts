/**
 * A workspace's parsed settings (identity rules, default currency), validated with zod and cached per workspace:
 * they change only through an explicit settings update. Used by the server, the importer and the demo loader.
 */
import { isCurrencyCode } from '../../core/currencies.js';
import { z } from 'zod';
import { identityConfigSchema, type IdentityConfig } from '../../core/identity/config.js';
import type { Queryable } from '../engines/engine.js';
import { getWorkspace } from './workspace-repository.js';

export interface WorkspaceContext {
  id: string;
  name: string;
  identity: IdentityConfig;
  defaultCurrency: string | undefined;
}

const settingsSchema = z.object({
  identity: identityConfigSchema.optional(),
  defaultCurrency: z.string().refine(isCurrencyCode, 'not an ISO 4217 currency code').optional(),
});

export class WorkspaceDirectory {
  private readonly cache = new Map<string, WorkspaceContext>();
  /** Lookups under way: requests arriving together for a workspace not yet cached share one. */
  private readonly loading = new Map<string, Promise<WorkspaceContext | null>>();
  constructor(private readonly db: Queryable) {}

  /** The workspace, or null when it does not exist. Throws when its stored settings are invalid. */
  async get(id: string): Promise<WorkspaceContext | null> {
    const cached = this.cache.get(id);
    if (cached) return cached;
    let loading = this.loading.get(id);
    if (!loading) {
      loading = this.load(id).finally(() => this.loading.delete(id));
      this.loading.set(id, loading);
    }
    return loading;
  }

  private async load(id: string): Promise<WorkspaceContext | null> {
    const workspace = await getWorkspace(this.db, id);
    if (!workspace) return null;
    const settings = settingsSchema.parse(workspace.settings);
    const context: WorkspaceContext = {
      id,
      name: workspace.name,
      identity: settings.identity ?? identityConfigSchema.parse({}),
      defaultCurrency: settings.defaultCurrency,
    };
    this.cache.set(id, context);
    return context;
  }
}
