// The element first: React 19 sets a prop as a property only if the element already has it,
// so <passwordless-login> must be defined before the first render.
import '../../../widget/module.ts';
import '../shared.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
