import { DATASET_PATTERN, INCOMING_PREFIX } from '@glue-platform/shared-constructs/contracts';

/**
 * S3 notifications carry keys form-URL-encoded: `+` is a space, `%2B` a plus, other bytes UTF-8 percent
 * escapes. Throws URIError on a malformed escape, which S3 never produces: the caller treats it as a bad message.
 */
export const decodeObjectKey = (encoded: string): string => decodeURIComponent(encoded.replace(/\+/g, ' '));

/** Why an object of a valid notification is acknowledged without being processed (see docs/operations.md). */
export type SkipReason =
  | 'not-object-created'
  | 'folder-marker'
  | 'not-incoming'
  | 'not-csv'
  | 'no-dataset-folder'
  | 'invalid-dataset-name';

export type KeyClassification =
  | { readonly kind: 'dataset-file'; readonly dataset: string }
  | { readonly kind: 'skip'; readonly reason: SkipReason };

/**
 * `.csv` is matched case-insensitively: users upload `REPORT.CSV` from tools that write capitals, and the job
 * reads whatever key the manifest names. Checks run from the most to the least specific explanation so the log
 * tells the uploader the one thing to fix (a `notes.txt` is "not-csv", an `incoming/sales.csv` "no-dataset-folder").
 */
export const classifyObjectKey = (key: string): KeyClassification => {
  if (key.endsWith('/')) return { kind: 'skip', reason: 'folder-marker' };
  if (!key.startsWith(INCOMING_PREFIX)) return { kind: 'skip', reason: 'not-incoming' };
  if (!/\.csv$/i.test(key)) return { kind: 'skip', reason: 'not-csv' };
  const rest = key.slice(INCOMING_PREFIX.length);
  const slash = rest.indexOf('/');
  if (slash <= 0) return { kind: 'skip', reason: 'no-dataset-folder' };
  const dataset = rest.slice(0, slash);
  if (!DATASET_PATTERN.test(dataset)) return { kind: 'skip', reason: 'invalid-dataset-name' };
  return { kind: 'dataset-file', dataset };
};

/** The first folder under `incoming/` when it is a valid dataset name, else null (what a skipped item records). */
export const datasetFolderOf = (key: string): string | null => {
  if (!key.startsWith(INCOMING_PREFIX)) return null;
  const [folder = ''] = key.slice(INCOMING_PREFIX.length).split('/', 1);
  return key.length > INCOMING_PREFIX.length + folder.length && DATASET_PATTERN.test(folder) ? folder : null;
};
