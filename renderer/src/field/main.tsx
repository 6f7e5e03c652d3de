import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { detectPlatform, type Platform } from '../platform/platform';
import { FieldServicesProvider } from './field-context';
import { createFieldServices } from './field-services';
import { FieldApp } from './FieldApp';
import { createFieldI18n } from './i18n-field';
import './field.css';

function Root({ platform, storedToken }: { platform: Platform; storedToken: string | null }) {
  const [i18n] = useState(() => createFieldI18n());
  const [services] = useState(() => createFieldServices(platform, storedToken, i18n));
  return (
    <I18nextProvider i18n={i18n}>
      <FieldServicesProvider services={services}>
        <FieldApp />
      </FieldServicesProvider>
    </I18nextProvider>
  );
}

const platform = await detectPlatform();
const storedToken = await platform.tokenVault.read();
const root = document.getElementById('root');
if (!root) throw new Error('#root missing from field.html');
createRoot(root).render(
  <StrictMode>
    <Root platform={platform} storedToken={storedToken} />
  </StrictMode>,
);
