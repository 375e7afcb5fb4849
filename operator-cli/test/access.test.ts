import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

import type { CliIo } from '../src/io';
import { run } from '../src/run';

import { cli, jsonOf } from './support/cli';
import { createStageResources, startEmulatedStage, type EmulatedStage } from './support/emulated-stage';

/** The link `npm ci` makes for the workspace's bin: what `npx glue-platform` runs. */
const BIN = path.resolve(__dirname, '..', '..', 'node_modules', '.bin', 'glue-platform');

let emu: EmulatedStage;
beforeAll(async () => {
  // One server for the file, with the stage's names but nothing created: every resource is missing. The one test
  // that needs the resources creates them and resets the server after.
  emu = await startEmulatedStage({ create: false });
}, 90_000);
afterAll(async () => {
  await emu?.server.stop();
});

async function runWith(argv: readonly string[], env: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    env,
    interactive: false,
    now: () => new Date(),
    sleep: () => Promise.resolve(),
  };
  const code = await run(argv, io);
  return { code, stdout, stderr };
}

interface ChildResult {
  code: number;
  stdout: string;
  stderr: string;
}

async function child(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<ChildResult> {
  try {
    const { stdout, stderr } = await promisify(execFile)(BIN, [...argv], { env, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** No credentials anywhere the SDK looks. */
const bareEnv = (): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  HOME: mkdtempSync(path.join(tmpdir(), 'glue-platform-home-')),
  AWS_CONFIG_FILE: '/nonexistent/config',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
  AWS_EC2_METADATA_DISABLED: 'true',
});

describe('missing resources of the stage (exit 3)', () => {
  test.each([
    [
      ['status', 's3://glue-etl-dev-input-222222222222-eu-west-1/incoming/d/x.csv'],
      /Not found while querying the ledger table glue-etl-dev-file-ledger \(ResourceNotFoundException\)/,
    ],
    [['dlq', 'list'], /Not found while finding the queue glue-etl-dev-trigger-dlq/],
    [
      ['runs'],
      /Not found while listing the runs of the Glue job glue-etl-dev-file-processor \(EntityNotFoundException\)/,
    ],
  ])(
    '%j names what is missing and what to check',
    async (argv, message) => {
      const result = await cli(emu.server.endpoint, argv);
      expect(result.code).toBe(3);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).toMatch(/Check --stage and the config/);
    },
    60_000,
  );

  test('upload to a missing input bucket', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'glue-platform-access-')), 'x.csv');
    writeFileSync(file, 'a\n1\n');
    const result = await cli(emu.server.endpoint, ['upload', file, '--dataset', 'd']);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(
      /Not found while uploading .*x\.csv to s3:\/\/glue-etl-dev-input-222222222222-eu-west-1\/incoming\/d\/x\.csv \(NoSuchBucket\)/,
    );
  }, 60_000);
});

describe('usage and config errors (exit 2)', () => {
  test('an unknown stage names the stages of the config', async () => {
    const result = await runWith(['status', '--dataset', 'd', '--stage', 'qa']);
    expect(result).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('No stage "qa" in the config; stages are: dev, prod') as unknown,
    });
  });

  test('no stage at all says how to give one', async () => {
    const result = await runWith(['runs']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /Which stage\? Pass --stage NAME \(or set GLUE_PLATFORM_STAGE\); stages: dev, prod/,
    );
    expect((await runWith(['runs', '--stage', 'nope'], { GLUE_PLATFORM_STAGE: 'dev' })).stderr).toMatch(
      /No stage "nope"/,
    );
  });

  test('a broken config lists its problems', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'glue-platform-config-')), 'platform.config.json');
    writeFileSync(file, JSON.stringify({ project: 'glue-etl', stages: [{ name: 'dev', account: '2222' }] }));
    const result = await runWith(['runs', '--stage', 'dev', '--config', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /Invalid platform config .*platform\.config\.json: \d+ problem\(s\)\n[^]*stages\[0\]\.account: got "2222"/,
    );
  });

  test('--role-arn and --assume-role together', async () => {
    const result = await runWith([
      'runs',
      '--stage',
      'dev',
      '--assume-role',
      '--role-arn',
      'arn:aws:iam::222222222222:role/x',
    ]);
    expect(result).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('either --role-arn ARN or --assume-role') as unknown,
    });
  });

  test('an unknown command, and no command', async () => {
    expect(await runWith(['uplaod'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('Unknown command "uplaod"; expected one of upload, status') as unknown,
    });
    expect(await runWith([])).toMatchObject({
      code: 2,
      stdout: expect.stringContaining('Usage: glue-platform COMMAND') as unknown,
    });
    expect(await runWith(['--help'])).toMatchObject({ code: 0 });
  });
});

describe('access (exit 3)', () => {
  test('an endpoint that does not answer', async () => {
    const result = await cli('http://127.0.0.1:9', ['runs']);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/Could not reach AWS while listing the runs .*\(ECONNREFUSED\)/);
  }, 60_000);

  test('--assume-role assumes the stage operator role through STS before the call', async () => {
    // The stage is not created on this server: the call after AssumeRole fails as not found, proving it ran.
    const result = await cli(emu.server.endpoint, ['dlq', 'list', '--assume-role']);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/finding the queue glue-etl-dev-trigger-dlq/);
  }, 60_000);
});

describe('the glue-platform executable', () => {
  test('runs a command through the real bin and prints JSON', async () => {
    const env = {
      ...bareEnv(),
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_ENDPOINT_URL: emu.server.endpoint,
    };
    const result = await child(['runs', '--stage', 'dev', '--json'], env);
    // Nothing is created on this server, so the job is missing: the exit code and message come from the bin.
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(
      /glue-platform runs: Not found while listing the runs of the Glue job glue-etl-dev-file-processor/,
    );
  }, 90_000);

  test('says that credentials are missing, with exit 3', async () => {
    const result = await child(
      ['status', '--dataset', 'd', '--stage', 'dev', '--endpoint-url', emu.server.endpoint],
      bareEnv(),
    );
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(
      /glue-platform status: No AWS credentials while querying the ledger table glue-etl-dev-file-ledger: .*Sign in first/,
    );
  }, 90_000);

  test('prints its usage', async () => {
    const result = await child(['--help'], bareEnv());
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: glue-platform COMMAND/);
    expect(result.stdout).toMatch(/Exit codes: 0 ok; 1 something needs a person/);
  }, 90_000);
});

test('a command that succeeds through the real bin exits 0', async () => {
  // The stage's resources on the file's server for this test only: the reset leaves it empty for the others.
  await createStageResources(emu.stage, emu.clients);
  try {
    const env = { ...bareEnv(), AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing' };
    const result = await child(
      ['dlq', 'list', '--json', '--stage', 'dev', '--endpoint-url', emu.server.endpoint],
      env,
    );
    expect(result.code).toBe(0);
    expect(jsonOf<{ approximateCount: number; messages: unknown[] }>(result)).toEqual({
      approximateCount: 0,
      messages: [],
    });
  } finally {
    await emu.server.reset();
  }
}, 120_000);
