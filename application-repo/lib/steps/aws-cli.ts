import { execFileSync } from 'node:child_process';

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

/** The CLI's output as JSON; an empty output (some commands print nothing when there are no results) is `{}`. */
export function parseCliJson(output: string, command: string): unknown {
  if (output.trim() === '') return {};
  try {
    return JSON.parse(output) as unknown;
  } catch {
    throw new Error(`aws ${command} printed something that is not JSON: ${output.slice(0, 200)}`);
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** The environment for commands run as the assumed role, from `aws sts assume-role` output. */
export function credentialsEnv(assumeRoleOutput: unknown, baseEnv: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const credentials = isRecord(assumeRoleOutput) ? assumeRoleOutput.Credentials : undefined;
  if (
    !isRecord(credentials) ||
    typeof credentials.AccessKeyId !== 'string' ||
    typeof credentials.SecretAccessKey !== 'string' ||
    typeof credentials.SessionToken !== 'string'
  ) {
    throw new Error(
      'aws sts assume-role returned no Credentials with AccessKeyId, SecretAccessKey and SessionToken',
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

/** Assumes `roleArn` and returns the environment that acts as it. */
export function assumeRole(
  aws: AwsCli,
  roleArn: string,
  sessionName: string,
  baseEnv: NodeJS.ProcessEnv,
): NodeJS.ProcessEnv {
  const args = ['sts', 'assume-role', '--role-arn', roleArn, '--role-session-name', sessionName];
  return credentialsEnv(parseCliJson(aws(args, baseEnv), 'sts assume-role'), baseEnv);
}

/** The message of a failed CLI command, with its standard error when execFileSync captured it. */
export function commandError(error: unknown): string {
  if (isRecord(error) && (typeof error.stderr === 'string' || Buffer.isBuffer(error.stderr))) {
    const stderr = String(error.stderr).trim();
    if (stderr) return stderr;
  }
  return error instanceof Error ? error.message : String(error);
}

export { isRecord };
