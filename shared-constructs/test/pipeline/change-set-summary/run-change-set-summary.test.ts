import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

import { AwsCli } from '../../../src/pipeline/steps/aws-cli';
import { SUMMARY_SCRIPT } from '../../../src/pipeline/steps/change-set-summary/change-set-summary-step';
import {
  consoleObjectUrl,
  runChangeSetSummary,
} from '../../../src/pipeline/steps/change-set-summary/run-change-set-summary';
import { SUMMARY_ENV } from '../../../src/pipeline/steps/change-set-summary/step-env';
import { bundleStepScript } from '../../../src/pipeline/steps/embedded-script';

import { fixture, PROD_APPLICATION, PROD_INFRASTRUCTURE } from './fixtures';

interface Call {
  readonly args: readonly string[];
  readonly keyId: string | undefined;
  readonly body?: string;
}

const BASE_ENV: NodeJS.ProcessEnv = {
  AWS_ACCESS_KEY_ID: 'pipeline-account-key',
  [SUMMARY_ENV.stageName]: 'prod',
  [SUMMARY_ENV.targets]: JSON.stringify([PROD_INFRASTRUCTURE, PROD_APPLICATION]),
  [SUMMARY_ENV.bucket]: 'summaries-bucket',
  [SUMMARY_ENV.bucketRegion]: 'eu-west-1',
  [SUMMARY_ENV.objectKey]: 'glue-etl-infrastructure/11111111-2222-3333-4444-555555555555/prod.html',
  [SUMMARY_ENV.commitId]: '0123456789abcdef0123456789abcdef01234567',
  [SUMMARY_ENV.commitMessage]: 'Grant the job PutObject',
  [SUMMARY_ENV.executionId]: '11111111-2222-3333-4444-555555555555',
};

/** A stand-in for the AWS CLI that answers from the fixtures and records what was asked, as whom. */
function fakeAws(options: { assumeFails?: boolean } = {}): { aws: AwsCli; calls: Call[] } {
  const calls: Call[] = [];
  const aws: AwsCli = (args, env) => {
    const at = (flag: string) => args[args.indexOf(flag) + 1];
    const body = args[0] === 's3api' ? readFileSync(at('--body'), 'utf8') : undefined;
    calls.push({ args, keyId: env.AWS_ACCESS_KEY_ID, body });
    if (args[0] === 'sts') {
      if (options.assumeFails) {
        throw Object.assign(new Error('exit 254'), {
          stderr: 'AccessDenied: not authorized to perform sts:AssumeRole',
        });
      }
      return JSON.stringify({
        Credentials: { AccessKeyId: `as-${at('--role-arn')}`, SecretAccessKey: 's', SessionToken: 't' },
      });
    }
    if (args[1] === 'describe-change-set') {
      if (at('--stack-name') === PROD_APPLICATION.stackName) return JSON.stringify(fixture('no-changes'));
      return JSON.stringify(
        fixture(args.includes('--next-token') ? 'prod-infrastructure.page2' : 'prod-infrastructure.page1'),
      );
    }
    if (args[0] === 's3api') return '{"ETag":"\\"x\\""}';
    throw new Error(`unexpected aws ${args.join(' ')}`);
  };
  return { aws, calls };
}

const workDir = () => mkdtempSync(path.join(tmpdir(), 'summary-test-'));

describe('runChangeSetSummary', () => {
  test('reads every page of each change set as the lookup role of the stage account', () => {
    const { aws, calls } = fakeAws();
    expect(runChangeSetSummary({ aws, env: BASE_ENV, log: () => undefined, workDir: workDir() })).toBe(true);
    const describes = calls.filter((c) => c.args[1] === 'describe-change-set');
    expect(
      describes.map((c) => [c.args[c.args.indexOf('--stack-name') + 1], c.args.includes('--next-token')]),
    ).toEqual([
      [PROD_INFRASTRUCTURE.stackName, false],
      [PROD_INFRASTRUCTURE.stackName, true],
      [PROD_APPLICATION.stackName, false],
    ]);
    for (const call of describes) {
      expect(call.keyId).toBe(`as-${PROD_INFRASTRUCTURE.roleArn}`);
      expect(call.args).toEqual(
        expect.arrayContaining(['--include-property-values', '--change-set-name', 'PipelineChange']),
      );
    }
  });

  test('uploads the HTML summary as the pipeline, under the key the approval links to', () => {
    const { aws, calls } = fakeAws();
    const lines: string[] = [];
    runChangeSetSummary({ aws, env: BASE_ENV, log: (l) => lines.push(l), workDir: workDir() });
    const uploads = calls.filter((c) => c.args[0] === 's3api');
    expect(uploads).toHaveLength(1);
    const [upload] = uploads;
    expect(upload?.keyId).toBe('pipeline-account-key');
    expect(upload?.args).toEqual(
      expect.arrayContaining([
        'put-object',
        '--bucket',
        'summaries-bucket',
        '--key',
        BASE_ENV[SUMMARY_ENV.objectKey],
      ]),
    );
    expect(upload?.args[upload.args.indexOf('--content-type') + 1]).toBe('text/html; charset=utf-8');
    expect(upload?.body).toContain('1 added, 3 modified, 2 replaced, 1 removed');
    expect(upload?.body).toContain('glue-etl-prod-application');
    const url = consoleObjectUrl('summaries-bucket', String(BASE_ENV[SUMMARY_ENV.objectKey]), 'eu-west-1');
    expect(lines.at(-1)).toBe(`Summary for the approver: ${url}`);
    expect(lines.join('\n')).toContain('## Security-relevant changes (3)');
  });

  test('a role it cannot assume fails the step with the role and what to do', () => {
    const { aws, calls } = fakeAws({ assumeFails: true });
    const lines: string[] = [];
    expect(runChangeSetSummary({ aws, env: BASE_ENV, log: (l) => lines.push(l), workDir: workDir() })).toBe(
      false,
    );
    expect(lines.join('\n')).toContain(`as ${PROD_INFRASTRUCTURE.roleArn}: AccessDenied`);
    expect(lines.join('\n')).toContain('cdk bootstrap --trust');
    expect(calls.some((c) => c.args[0] === 's3api')).toBe(false);
  });

  test('a missing variable is named', () => {
    const { aws } = fakeAws();
    const env = { ...BASE_ENV, [SUMMARY_ENV.targets]: undefined };
    expect(() => runChangeSetSummary({ aws, env, log: () => undefined })).toThrow(
      /SUMMARY_TARGETS is not set/,
    );
  });

  test('a malformed target list says which field is wrong', () => {
    const { aws } = fakeAws();
    const env = {
      ...BASE_ENV,
      [SUMMARY_ENV.targets]: JSON.stringify([{ ...PROD_APPLICATION, roleArn: '' }]),
    };
    expect(() => runChangeSetSummary({ aws, env, log: () => undefined })).toThrow(
      /SUMMARY_TARGETS\[0\]\.roleArn must be a non-empty string/,
    );
  });
});

describe('the bundled script the step embeds', () => {
  const bundle = bundleStepScript(SUMMARY_SCRIPT);

  test('holds Node built-ins only, not the CDK', () => {
    expect(bundle).not.toMatch(/aws-cdk-lib|require\("constructs"\)/);
    expect(bundle.length).toBeLessThan(50_000);
  });

  test('runs with plain Node and fails with the name of a missing variable', () => {
    const file = path.join(workDir(), 'change-set-summary.js');
    writeFileSync(file, bundle);
    const run = spawnSync(process.execPath, [file], { env: { PATH: process.env.PATH }, encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('SUMMARY_STAGE_NAME is not set');
  });
});
