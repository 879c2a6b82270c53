export {
  startCustomUiServer,
  type CustomUiSandbox,
  type CustomUiServer,
  type CustomUiServerOptions,
} from './custom-ui-server';
export { VIEWER_COOKIE } from './viewer';
