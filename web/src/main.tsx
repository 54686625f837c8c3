import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { loadSiteConfig } from './config';
import { hostedSession } from './hosted-sign-in';
import { takeTokenFromAddress } from './session';
import './styles.css';

// Taken before anything renders, and removed from the address bar at once.
const tokenFromAddress = takeTokenFromAddress();

async function start() {
  const config = await loadSiteConfig();
  const hosted = config.signIn && hostedSession(config.signIn);
  // Once, before the first render: a code from the hosted sign-in can be exchanged only once.
  const resumed = await hosted?.resume().catch((error: Error) => ({ error: error.message }));
  const root = document.getElementById('root');
  if (root)
    createRoot(root).render(
      <StrictMode>
        <App tokenFromAddress={tokenFromAddress} hosted={hosted} resumed={resumed} />
      </StrictMode>,
    );
}

void start();
