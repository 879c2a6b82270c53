/**
 * A stored or received field value as text, for messages and text matching: a string as it is,
 * nothing as '', anything else as JSON (a number reads the same; an object never as "[object Object]").
 */
export function valueText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return '';
  return JSON.stringify(value);
}
