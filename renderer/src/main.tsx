import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { AppProviders } from './app/providers';
import { Shell } from './app/shell/Shell';
import { applyThemeVariables } from './app/theme-css';
import { detectPlatform } from './platform/platform';
import './app/styles.css';

applyThemeVariables(document.documentElement);
const platform = await detectPlatform();
const root = document.getElementById('root');
if (!root) throw new Error('#root missing from index.html');
createRoot(root).render(
  <StrictMode>
    <AppProviders platform={platform}>
      <Shell />
    </AppProviders>
  </StrictMode>,
);
