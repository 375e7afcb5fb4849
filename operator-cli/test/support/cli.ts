import type { CliIo } from '../../src/io';
import { run } from '../../src/run';

import { STAGE } from './emulated-stage';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunningCli {
  readonly result: Promise<CliResult>;
  /** What the CLI printed so far. */
  readonly stdout: () => string;
}

/** Starts the CLI in-process against `endpoint` with a shortened clock: waits of the CLI last at most 20 ms. */
export function startCli(
  endpoint: string | undefined,
  argv: readonly string[],
  env: NodeJS.ProcessEnv = {},
  interactive = false,
): RunningCli {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    env,
    interactive,
    now: () => new Date(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 20))),
  };
  const args = [...argv, '--stage', STAGE, ...(endpoint ? ['--endpoint-url', endpoint] : [])];
  const result = run(args, io).then((code) => ({ code, stdout, stderr }));
  return { result, stdout: () => stdout };
}

export const cli = (
  endpoint: string | undefined,
  argv: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<CliResult> => startCli(endpoint, argv, env).result;

/** Waits until `condition` holds, looking every 10 ms; fails after `timeoutMs` naming `what`. */
export async function until(what: string, condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The JSON a `--json` command printed. */
export const jsonOf = <T>(result: CliResult): T => JSON.parse(result.stdout) as T;
