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

/** The CLI's error output when it has one (execFileSync puts it on the error), else the error's message. */
export function commandError(error: unknown): string {
  const stderr = (error as { stderr?: unknown }).stderr;
  if (typeof stderr === 'string' && stderr.trim() !== '') return stderr.trim();
  return error instanceof Error ? error.message : String(error);
}

export function parseCliJson(output: string, command: string): unknown {
  try {
    return JSON.parse(output) as unknown;
  } catch {
    throw new Error(`aws ${command} printed something that is not JSON: ${output.slice(0, 200)}`);
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** Assumes `roleArn` and returns an environment that acts as it (and only as it: no profile). */
export function assumeRole(
  aws: AwsCli,
  roleArn: string,
  sessionName: string,
  baseEnv: NodeJS.ProcessEnv,
): NodeJS.ProcessEnv {
  const output = parseCliJson(
    aws(['sts', 'assume-role', '--role-arn', roleArn, '--role-session-name', sessionName], baseEnv),
    'sts assume-role',
  );
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
  const env: NodeJS.ProcessEnv = { ...baseEnv };
  delete env.AWS_PROFILE;
  return {
    ...env,
    AWS_ACCESS_KEY_ID: credentials.AccessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.SecretAccessKey,
    AWS_SESSION_TOKEN: credentials.SessionToken,
  };
}
