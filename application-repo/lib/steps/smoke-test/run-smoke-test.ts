import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

import {
  assumeRole,
  AwsCli,
  parseCliJsonOrEmpty,
  runAwsCli,
} from '@glue-platform/shared-constructs/src/pipeline/steps/aws-cli';

import { DEFAULT_SMOKE_WAIT_SECONDS, requireEnv, secondsFromEnv, STEP_ENV } from '../step-env';

import {
  candidateRuns,
  lookUpReport,
  parseJobRuns,
  pollRun,
  ReportLookup,
  reportProblems,
  runVerdict,
  smokeTestCsv,
  smokeTestFileStem,
} from './smoke-test';

const DEFAULT_POLL_SECONDS = 20;
/** The newest runs are enough: the smoke run started moments ago. */
const RUNS_TO_INSPECT = '50';
/**
 * Runs that started up to this long before the upload (by CodeBuild's clock) still count, so clock skew cannot
 * hide the smoke run; the report, which names the uploaded file, decides which run it is.
 */
const CLOCK_MARGIN_MS = 60_000;

export interface SmokeTestDeps {
  readonly aws: AwsCli;
  readonly env: NodeJS.ProcessEnv;
  readonly log: (line: string) => void;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly randomHex: () => string;
  /** Writes `content` to a new local file and returns its path. */
  readonly writeTempFile: (name: string, content: string) => string;
}

/**
 * Pipeline step after a stage deploys: upload a small CSV as the smoke-test role, wait for the Glue run the
 * trigger starts, then check that the run's report (a run report of version 2) says the run succeeded, the file
 * succeeded with every row written in a snapshot, and the data table's commit went through. Only what the
 * smoke-test role allows: put under `incoming/smoke_test/`, follow the job's runs, read reports.
 */
export async function runSmokeTest(deps: SmokeTestDeps): Promise<boolean> {
  const { aws, env, log } = deps;
  const region = requireEnv(env, STEP_ENV.stageRegion);
  const stageName = requireEnv(env, STEP_ENV.stageName);
  const inputBucket = requireEnv(env, STEP_ENV.inputBucket);
  const assetsBucket = requireEnv(env, STEP_ENV.assetsBucket);
  const jobName = requireEnv(env, STEP_ENV.glueJobName);
  const uploadPrefix = requireEnv(env, STEP_ENV.uploadPrefix);
  const manifestPrefix = requireEnv(env, STEP_ENV.manifestPrefix);
  const reportPrefix = requireEnv(env, STEP_ENV.reportPrefix);
  const waitSeconds = secondsFromEnv(env, STEP_ENV.waitSeconds, DEFAULT_SMOKE_WAIT_SECONDS);
  const pollSeconds = secondsFromEnv(env, STEP_ENV.pollSeconds, DEFAULT_POLL_SECONDS);
  const fail = (reason: string): false => {
    log(`Smoke test of stage ${stageName} failed: ${reason}`);
    return false;
  };

  const stageEnv = assumeRole(aws, requireEnv(env, STEP_ENV.stageRoleArn), `smoke-test-${stageName}`, env);
  const cli = (args: readonly string[], what: string): unknown =>
    parseCliJsonOrEmpty(aws([...args, '--region', region], stageEnv), what);

  const startedAt = deps.now();
  const stem = smokeTestFileStem(new Date(startedAt), deps.randomHex());
  const key = `${uploadPrefix}${stem}.csv`;
  const sourceUri = `s3://${inputBucket}/${key}`;
  const file = deps.writeTempFile(`${stem}.csv`, smokeTestCsv(stem));
  cli(['s3api', 'put-object', '--bucket', inputBucket, '--key', key, '--body', file], 's3api put-object');
  log(`uploaded ${sourceUri}; waiting up to ${waitSeconds} s for a run of ${jobName} that processes it`);

  const reports = new Map<string, ReportLookup>();
  const readReport = (runId: string): ReportLookup => {
    const uri = `s3://${assetsBucket}/${reportPrefix}${runId}.json`;
    return lookUpReport(uri, () => aws(['s3', 'cp', uri, '-', '--region', region], stageEnv));
  };
  const verdict = await pollRun(
    () => {
      const output = cli(
        ['glue', 'get-job-runs', '--job-name', jobName, '--max-items', RUNS_TO_INSPECT],
        'glue',
      );
      const candidates = candidateRuns(
        parseJobRuns(output),
        startedAt - CLOCK_MARGIN_MS,
        `s3://${assetsBucket}/${manifestPrefix}`,
      );
      for (const run of candidates) {
        // A report that could not be read is read again on the next poll; one that was read never changes.
        const known = reports.get(run.id);
        if (run.state === 'SUCCEEDED' && (!known || 'unreadable' in known)) {
          reports.set(run.id, readReport(run.id));
        }
      }
      return runVerdict(candidates, reports, sourceUri);
    },
    { timeoutMs: waitSeconds * 1000, intervalMs: pollSeconds * 1000, now: deps.now, sleep: deps.sleep, log },
  );
  if (verdict.status === 'failed') return fail(verdict.detail);
  if (verdict.status !== 'reported') return fail('no verdict');

  const problems = reportProblems(verdict.report, verdict.file);
  if (problems.length > 0) {
    return fail(`run ${verdict.runId} (report ${verdict.reportUri}): ${problems.join('; ')}`);
  }
  const { report, file: reported } = verdict;
  log(
    `Smoke test of stage ${stageName} passed: run ${verdict.runId} wrote ${reported.rowsWritten} rows of ` +
      `${sourceUri} to ${report.database}.${report.table} in snapshot ${reported.snapshotId} ` +
      `(report ${verdict.reportUri})`,
  );
  return true;
}

/** Entry point of the bundled script the pipeline step runs. */
export async function main(): Promise<void> {
  const ok = await runSmokeTest({
    aws: runAwsCli,
    env: process.env,
    log: (line) => console.log(line),
    now: () => Date.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    randomHex: () => randomBytes(4).toString('hex'),
    writeTempFile: (name, content) => {
      const file = path.join(mkdtempSync(path.join(tmpdir(), 'smoke-')), name);
      writeFileSync(file, content, 'utf8');
      return file;
    },
  });
  process.exitCode = ok ? 0 : 1;
}
