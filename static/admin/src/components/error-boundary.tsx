import { Component, type ErrorInfo, type ReactNode } from 'react';
import { SectionMessage } from './section-message';

interface ErrorBoundaryState {
  error?: Error;
}

/** Keeps a rendering bug from leaving Jira with a blank iframe: shows what broke instead. */
export class ErrorBoundary extends Component<{ children: ReactNode }, ErrorBoundaryState> {
  override state: ErrorBoundaryState = {};

  static getDerivedStateFromError(error: unknown): ErrorBoundaryState {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('Finding Sync admin page crashed', error, info.componentStack);
  }

  override render(): ReactNode {
    if (!this.state.error) return this.props.children;
    return (
      <div className="fs-page">
        <SectionMessage appearance="error" role="alert" title="Something went wrong on this page">
          <p>
            Reload the page to try again. If it keeps happening, tell the app's maintainers: {this.state.error.message}
          </p>
        </SectionMessage>
      </div>
    );
  }
}
