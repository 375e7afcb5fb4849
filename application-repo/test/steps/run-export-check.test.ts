import { AwsCli } from '@glue-platform/shared-constructs/src/pipeline/steps/aws-cli';

import { runExportCheck } from '../../lib/steps/export-check/run-export-check';

const env: NodeJS.ProcessEnv = {
  PATH: '/usr/bin',
  AWS_PROFILE: 'pipeline',
  STAGE_NAME: 'dev',
  STAGE_ACCOUNT: '222222222222',
  STAGE_REGION: 'eu-west-1',
  STAGE_ROLE_ARN: 'arn:aws:iam::222222222222:role/glue-etl-dev-smoke-test',
  EXPECTED_EXPORTS: 'glue-etl-dev-A,glue-etl-dev-B',
  INFRASTRUCTURE_STACK: 'glue-etl-dev-infrastructure',
};

const credentials = {
  Credentials: { AccessKeyId: 'AKIDSTAGE', SecretAccessKey: 'secret', SessionToken: 'token' },
};

interface Call {
  readonly args: readonly string[];
  readonly env: NodeJS.ProcessEnv;
}

/** A fake CLI answering assume-role and list-exports; records every call. */
function fakeAws(exported: readonly string[], calls: Call[]): AwsCli {
  return (args, callEnv) => {
    calls.push({ args, env: callEnv });
    if (args[0] === 'sts') return JSON.stringify(credentials);
    if (args[0] === 'cloudformation') return JSON.stringify({ Exports: exported.map((Name) => ({ Name })) });
    throw new Error(`unexpected command ${args.join(' ')}`);
  };
}

test('the check passes when every expected export exists', () => {
  const lines: string[] = [];
  const ok = runExportCheck({
    aws: fakeAws(['glue-etl-dev-A', 'glue-etl-dev-B'], []),
    env,
    log: (l) => lines.push(l),
  });
  expect({ ok, lines }).toEqual({
    ok: true,
    lines: [expect.stringMatching(/^Stage dev: all 2 export\(s\)/)],
  });
});

test('the check fails and names the missing export and the stack to deploy', () => {
  const lines: string[] = [];
  const ok = runExportCheck({ aws: fakeAws(['glue-etl-dev-A'], []), env, log: (l) => lines.push(l) });
  expect(ok).toBe(false);
  expect(lines.join('\n')).toMatch(
    /- glue-etl-dev-B\nDeploy the infrastructure stack glue-etl-dev-infrastructure/,
  );
});

test('the exports are listed as the assumed stage role, in the stage region', () => {
  const calls: Call[] = [];
  runExportCheck({ aws: fakeAws(['glue-etl-dev-A', 'glue-etl-dev-B'], calls), env, log: () => undefined });
  const [assume, list] = calls;
  expect(assume?.args).toEqual(expect.arrayContaining(['assume-role', '--role-arn', env.STAGE_ROLE_ARN]));
  expect(list?.args).toEqual(['cloudformation', 'list-exports', '--region', 'eu-west-1']);
  expect(list?.env).toMatchObject({ AWS_ACCESS_KEY_ID: 'AKIDSTAGE', AWS_SESSION_TOKEN: 'token' });
  expect(list?.env.AWS_PROFILE).toBeUndefined();
});

test('a role that cannot be assumed fails the check with the stack that creates it', () => {
  const lines: string[] = [];
  const denied: AwsCli = () => {
    throw Object.assign(new Error('Command failed'), { stderr: 'AccessDenied: not authorized to assume' });
  };
  const ok = runExportCheck({ aws: denied, env, log: (l) => lines.push(l) });
  expect(ok).toBe(false);
  expect(lines.join('\n')).toMatch(
    /Cannot assume arn:aws:iam::222222222222:role\/glue-etl-dev-smoke-test: AccessDenied[\s\S]*glue-etl-dev-infrastructure creates this role/,
  );
});

test('a step without the expected exports variable fails with the variable name', () => {
  const incomplete = { ...env, EXPECTED_EXPORTS: undefined };
  expect(() => runExportCheck({ aws: fakeAws([], []), env: incomplete, log: () => undefined })).toThrow(
    /Environment variable EXPECTED_EXPORTS is not set/,
  );
});
