/**
 * The issue summary layout, shared with the admin page so its live preview renders exactly what
 * the sync writes (the renderer is pure; see src/domain/summary.ts).
 */
export {
  DEFAULT_SUMMARY_TEMPLATE,
  SUMMARY_MAX_LENGTH,
  SUMMARY_PLACEHOLDERS,
  SUMMARY_PLACEHOLDER_HELP,
  SUMMARY_SAMPLES,
  SUMMARY_TEMPLATE_MAX_LENGTH,
  parseSummaryTemplate,
  renderSummary,
  type SummaryPlaceholder,
} from '../domain/summary';
