// Top bar: where you are, and which workspace you are looking at.
import { useWorkspaces } from './workspace';

export function Header({ title }: { title: string }) {
  const { workspaces, workspaceId, select, loading } = useWorkspaces();
  return (
    <header className="topbar">
      <div className="topbar-title">{title}</div>
      <label className="workspace-picker">
        <span>Workspace</span>
        <select
          data-testid="workspace-picker"
          value={workspaceId ?? ''}
          disabled={workspaces.length === 0}
          onChange={(e) => select(e.target.value)}
        >
          {workspaces.length === 0 && <option value="">{loading ? 'Loading…' : 'None'}</option>}
          {workspaces.map((w) => (
            <option key={w.id} value={w.id}>
              {w.name}
            </option>
          ))}
        </select>
      </label>
    </header>
  );
}
