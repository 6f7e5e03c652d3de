import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { AppProviders } from './app/providers';
import { App } from './app/shell/App';
import { applyThemeVariables } from './app/theme-css';
import { detectPlatform } from './platform/platform';
import './app/styles.css';

applyThemeVariables(document.documentElement);
const platform = await detectPlatform();
const storedToken = await platform.tokenVault.read();
const root = document.getElementById('root');
if (!root) throw new Error('#root missing from index.html');
createRoot(root).render(
  <StrictMode>
    <AppProviders platform={platform} storedToken={storedToken}>
      <App />
    </AppProviders>
  </StrictMode>,
);
