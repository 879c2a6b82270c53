import { z } from 'zod';
import { lineText } from './text';

/** The small value schemas the configuration document is made of: Jira names, ids, keys, labels. */

export const JiraNameSchema = lineText(255);
export const JiraIdSchema = z
  .string()
  .trim()
  .regex(/^\d{1,18}$/, 'Must be a numeric Jira id');
export const AccountIdSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9:_-]{1,128}$/, 'Must be an Atlassian account id (letters, digits, ":", "_", "-")');
export const ProjectKeySchema = z
  .string()
  .trim()
  .regex(
    /^[A-Z][A-Z0-9_]{1,254}$/,
    'Must be a Jira project key: an upper-case letter, then upper-case letters, digits or "_"',
  );
export const LabelSchema = lineText(255).refine((label) => !/\s/.test(label), 'Labels cannot contain spaces');
export const MappingIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'Must be 1-64 lower-case letters, digits, "_" or "-"');

/** The record without its `undefined` entries (so spreading it over defaults keeps them). */
export function stripUndefined<T extends Record<string, unknown>>(record: T): Partial<T> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as Partial<T>;
}
