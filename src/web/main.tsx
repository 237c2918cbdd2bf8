// Entry point of the Kept dashboard.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Shell } from './app/Shell';
import { WorkspaceProvider } from './app/workspace';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('Missing #root element');

createRoot(root).render(
  <StrictMode>
    <WorkspaceProvider>
      <Shell />
    </WorkspaceProvider>
  </StrictMode>,
);
