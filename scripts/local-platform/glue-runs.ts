import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

import { GetJobCommand, GetJobRunsCommand } from '@aws-sdk/client-glue';

import type { Clients } from '../../operator-cli/src/clients';

const ROOT = path.resolve(__dirname, '..', '..');
const PYTHON = path.join(ROOT, '.venv', 'bin', 'python');
const LOCAL_GLUE = path.join(__dirname, 'local_glue.py');
const JOB_SOURCES = path.join(ROOT, 'application-repo', 'glue-jobs', 'file_processor', 'src');

/** What one run ended as, from local_glue.py's JSON line. */
export interface RunOutcome {
  readonly jobRunId: string;
  readonly status: 'SUCCEEDED' | 'FAILED';
  readonly report?: { status: string; files: { sourceKey: string; status: string }[] };
  readonly error?: string;
  readonly seconds: number;
}

function python(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [...args], {
      env: { ...process.env, ...env, PYTHONPATH: JOB_SOURCES },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-20_000)));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** The last line of stdout that is JSON: Spark and py4j may print before it. */
function lastJsonLine(stdout: string, stderr: string): unknown {
  const line = stdout
    .trim()
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('{') || l.startsWith('['));
  if (!line) throw new Error(`local_glue.py printed no answer; its log ends:\n${stderr.slice(-4000)}`);
  return JSON.parse(line);
}

/**
 * moto records StartJobRun and answers GetJobRuns, but runs nothing. This plays Glue: each run it has not
 * executed yet is executed once, with the job's default arguments overlaid by the run's (as Glue merges them),
 * by the job's own code on local Spark (local_glue.py).
 */
export class GlueRunner {
  private readonly executed = new Set<string>();

  constructor(
    private readonly clients: Clients,
    private readonly jobName: string,
    private readonly workDir: string,
    private readonly endpoint: string,
    private readonly region: string,
  ) {}

  /** What Glue's environment gives boto3: the region; and the emulator as the endpoint. */
  private get awsEnvironment(): NodeJS.ProcessEnv {
    return { AWS_ENDPOINT_URL: this.endpoint, AWS_DEFAULT_REGION: this.region, AWS_REGION: this.region };
  }

  get warehouse(): string {
    return path.join(this.workDir, 'warehouse');
  }

  /** Executes every run started since the last call, oldest first, one after the other. */
  async runPending(): Promise<RunOutcome[]> {
    const job = await this.clients.glue.send(new GetJobCommand({ JobName: this.jobName }));
    const runs =
      (await this.clients.glue.send(new GetJobRunsCommand({ JobName: this.jobName }))).JobRuns ?? [];
    const pending = runs
      .filter((run) => run.Id && !this.executed.has(run.Id))
      .sort((a, b) => (a.StartedOn?.getTime() ?? 0) - (b.StartedOn?.getTime() ?? 0));
    const outcomes: RunOutcome[] = [];
    for (const run of pending) {
      const id = run.Id ?? '';
      this.executed.add(id);
      const merged: Record<string, string> = { ...job.Job?.DefaultArguments, ...run.Arguments };
      // Glue hands the script `--name value`; getResolvedOptions gives the names without the dashes.
      const args = Object.fromEntries(
        Object.entries(merged).map(([name, value]) => [name.replace(/^--/, ''), value]),
      );
      const request = path.join(this.workDir, 'runs', `${id}.json`);
      mkdirSync(path.dirname(request), { recursive: true });
      writeFileSync(
        request,
        JSON.stringify({
          arguments: { ...args, JOB_NAME: this.jobName, JOB_RUN_ID: id },
          workDir: this.workDir,
          warehouse: this.warehouse,
        }),
      );
      const started = Date.now();
      const answer = await python([LOCAL_GLUE, 'run', request], this.awsEnvironment);
      const outcome = lastJsonLine(answer.stdout, answer.stderr) as Omit<RunOutcome, 'seconds'>;
      outcomes.push({ ...outcome, seconds: (Date.now() - started) / 1000 });
    }
    return outcomes;
  }

  /** Spark SQL over the local warehouse, as an analyst would ask Athena; one array of rows per statement. */
  async query(statements: readonly string[]): Promise<Record<string, unknown>[][]> {
    const answer = await python([LOCAL_GLUE, 'query', this.warehouse, ...statements], this.awsEnvironment);
    if (answer.code !== 0) throw new Error(`query failed:\n${answer.stderr.slice(-4000)}`);
    return lastJsonLine(answer.stdout, answer.stderr) as Record<string, unknown>[][];
  }
}
