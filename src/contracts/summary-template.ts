/**
 * The issue summary layout, shared with the admin page so its live preview renders exactly what
 * the sync writes (the renderer is pure; see src/domain/summary.ts and summary-template.ts).
 */
export {
  DEFAULT_SUMMARY_TEMPLATE,
  SUMMARY_MAX_LENGTH,
  SUMMARY_PLACEHOLDERS,
  SUMMARY_PLACEHOLDER_HELP,
  SUMMARY_TEMPLATE_MAX_LENGTH,
  parseSummaryTemplate,
  type SummaryPlaceholder,
} from '../domain/summary-template';
export { SUMMARY_SAMPLES, renderSummary } from '../domain/summary';
