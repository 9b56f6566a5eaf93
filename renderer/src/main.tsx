/**
 * Renderer entry. The store starts talking to the host (pushed events, the link, the start-up reads)
 * before React's first render: the answers are on their way while the window is first drawn.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { bridge } from './bridge';
import { App } from './components/app';
import { useStore } from './store';
import './styles.css';

const store = useStore.getState();
bridge.onEvent(store.handleEvent);
bridge.onLinkChange?.(store.linkChanged);
void store.init();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
