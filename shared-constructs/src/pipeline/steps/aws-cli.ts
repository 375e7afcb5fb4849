import { execFileSync } from 'node:child_process';

// The AWS CLI plumbing of the pipeline step scripts (those of shared-constructs and of the apps). Node built-ins
// only: the scripts are bundled into the step's commands and must not pull aws-cdk-lib in.

/** Runs one AWS CLI command with `env` and returns its standard output; throws when the command fails. */
export type AwsCli = (args: readonly string[], env: NodeJS.ProcessEnv) => string;

/** The CodeBuild images ship AWS CLI v2; JSON output is forced so the parsers see one format. */
export const runAwsCli: AwsCli = (args, env) =>
  execFileSync('aws', [...args, '--output', 'json'], {
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });

/** The CLI's output as JSON; output that is not JSON (an empty one included) is an error naming the command. */
export function parseCliJson(output: string, command: string): unknown {
  try {
    return JSON.parse(output) as unknown;
  } catch {
    throw new Error(`aws ${command} printed something that is not JSON: ${output.slice(0, 200)}`);
  }
}

/**
 * The CLI's output as JSON, for commands that print nothing when they have no results: an empty output is `{}`.
 */
export function parseCliJsonOrEmpty(output: string, command: string): unknown {
  return output.trim() === '' ? {} : parseCliJson(output, command);
}

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** Assumes `roleArn` and returns an environment that acts as it (and only as it: no profile). */
export function assumeRole(
  aws: AwsCli,
  roleArn: string,
  sessionName: string,
  baseEnv: NodeJS.ProcessEnv,
): NodeJS.ProcessEnv {
  const args = ['sts', 'assume-role', '--role-arn', roleArn, '--role-session-name', sessionName];
  const output = parseCliJsonOrEmpty(aws(args, baseEnv), 'sts assume-role');
  const credentials = isRecord(output) ? output.Credentials : undefined;
  if (
    !isRecord(credentials) ||
    typeof credentials.AccessKeyId !== 'string' ||
    typeof credentials.SecretAccessKey !== 'string' ||
    typeof credentials.SessionToken !== 'string'
  ) {
    throw new Error(
      `aws sts assume-role ${roleArn} returned no Credentials with AccessKeyId, SecretAccessKey and SessionToken`,
    );
  }
  // A profile would take precedence over the variables below; the step must act as the assumed role only.
  const env: NodeJS.ProcessEnv = { ...baseEnv };
  delete env.AWS_PROFILE;
  return {
    ...env,
    AWS_ACCESS_KEY_ID: credentials.AccessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.SecretAccessKey,
    AWS_SESSION_TOKEN: credentials.SessionToken,
  };
}

/** The message of a failed CLI command: its standard error when execFileSync captured one, else the error's. */
export function commandError(error: unknown): string {
  if (isRecord(error) && (typeof error.stderr === 'string' || Buffer.isBuffer(error.stderr))) {
    const stderr = String(error.stderr).trim();
    if (stderr) return stderr;
  }
  return error instanceof Error ? error.message : String(error);
}
