/** A loading indicator with a text label that screen readers announce. */
export function Spinner({ label }: { label: string }) {
  return (
    <div className="fs-spinner" role="status">
      <svg
        className="fs-spinner__circle"
        width="24"
        height="24"
        viewBox="0 0 24 24"
        aria-hidden="true"
        focusable="false"
      >
        <circle cx="12" cy="12" r="9" fill="none" strokeWidth="2.5" strokeLinecap="round" />
      </svg>
      <span className="fs-spinner__label">{label}</span>
    </div>
  );
}
