/** What a command may touch outside AWS; tests pass their own to capture output and control time. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
  /** Redraw progress in place (a terminal) rather than print a line per change (a log). */
  readonly interactive: boolean;
  readonly now: () => Date;
  readonly sleep: (ms: number) => Promise<void>;
}

export const processIo = (): CliIo => ({
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  interactive: process.stdout.isTTY === true,
  now: () => new Date(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
});
