import '@atlaskit/css-reset';
import { setGlobalTheme } from '@atlaskit/tokens/set-global-theme';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { ErrorBoundary } from './components/error-boundary';
import './styles.css';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');

// Atlassian design tokens (colours, spacing) as CSS variables; Jira's own theme follows in app.tsx.
void setGlobalTheme({ colorMode: 'light' }).catch((error: unknown) =>
  console.warn('Design tokens could not be loaded', error),
);

createRoot(container).render(
  <StrictMode>
    <ErrorBoundary>
      <App />
    </ErrorBoundary>
  </StrictMode>,
);
