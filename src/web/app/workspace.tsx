// The workspace the dashboard is looking at. Loaded from GET /api/v1/workspaces; the choice is
// remembered in localStorage and falls back to the first workspace in the list.
import { createContext, useContext, useState, type ReactNode } from 'react';
import type { Workspace } from './api-types';
import { useApiGet } from './use-api';

const STORAGE_KEY = 'kept.workspace';

export interface WorkspaceState {
  workspaces: Workspace[];
  loading: boolean;
  error: string | undefined;
  /** Selected workspace id, or undefined while the list loads or when there is none. */
  workspaceId: string | undefined;
  select: (id: string) => void;
}

const WorkspaceContext = createContext<WorkspaceState | null>(null);

function readStored(): string | undefined {
  try {
    return window.localStorage.getItem(STORAGE_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

export function WorkspaceProvider({ children }: { children: ReactNode }) {
  const { data, error, loading } = useApiGet<{ items: Workspace[] }>('/workspaces', {});
  const [chosen, setChosen] = useState<string | undefined>(readStored);
  const workspaces = data?.items ?? [];
  const workspaceId = workspaces.some((w) => w.id === chosen) ? chosen : workspaces[0]?.id;

  const select = (id: string) => {
    setChosen(id);
    try {
      window.localStorage.setItem(STORAGE_KEY, id);
    } catch {
      // Storage unavailable (private mode): the choice lasts until reload.
    }
  };

  return (
    <WorkspaceContext.Provider value={{ workspaces, loading, error, workspaceId, select }}>
      {children}
    </WorkspaceContext.Provider>
  );
}

export function useWorkspaces(): WorkspaceState {
  const state = useContext(WorkspaceContext);
  if (!state) throw new Error('useWorkspaces must be used inside <WorkspaceProvider>');
  return state;
}

/** The selected workspace id; pages are only rendered once one is selected. */
export function useWorkspaceId(): string {
  const { workspaceId } = useWorkspaces();
  if (!workspaceId) throw new Error('No workspace selected');
  return workspaceId;
}
