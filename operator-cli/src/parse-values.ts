import { UsageError } from './errors';

/** `s3://bucket/key` (the key as S3 names it, no URL escapes). */
export interface S3Location {
  readonly bucket: string;
  readonly key: string;
}

export function parseS3Uri(text: string, what: string): S3Location {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(text);
  if (!match?.[1] || !match[2]) {
    throw new UsageError(`${what}: got "${text}"; expected s3://bucket/key`);
  }
  return { bucket: match[1], key: match[2] };
}

const UNITS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86400 };

/** `90s`, `30m`, `1h`, `7d` in seconds. */
export function parseDuration(text: string, what: string): number {
  const match = /^(\d+(?:\.\d+)?)([smhd])$/.exec(text);
  const unit = match?.[2] ? UNITS[match[2]] : undefined;
  if (!match?.[1] || unit === undefined) {
    throw new UsageError(
      `${what}: got "${text}"; expected a number and a unit s, m, h or d (such as 30m, 1h, 7d)`,
    );
  }
  return Number(match[1]) * unit;
}

export function parseCount(text: string, what: string, min = 1): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min) {
    throw new UsageError(`${what}: got "${text}"; expected a whole number >= ${min}`);
  }
  return value;
}
