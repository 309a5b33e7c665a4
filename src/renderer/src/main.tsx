import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import './styles.css';
import { getApi } from './api';
import { installAppearance, syncAppearanceWithSettings } from './theme/theme';

installAppearance();
if (window.orderbook) syncAppearanceWithSettings(() => getApi().invoke('settings.get', {}));

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
