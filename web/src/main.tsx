import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { takeTokenFromAddress } from './session';
import './styles.css';

// Taken before anything renders, and removed from the address bar at once.
const tokenFromAddress = takeTokenFromAddress();

const root = document.getElementById('root');
if (root)
  createRoot(root).render(
    <StrictMode>
      <App tokenFromAddress={tokenFromAddress} />
    </StrictMode>,
  );
