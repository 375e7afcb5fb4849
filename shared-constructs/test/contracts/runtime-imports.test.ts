import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

import { buildSync } from 'esbuild';

const REPOSITORY_ROOT = path.resolve(__dirname, '..', '..', '..');
const CONTRACTS_FILE = 'shared-constructs/src/contracts/run-report.ts';
const LAMBDA_FILE = 'infrastructure-repo/lambda/src/handler.ts';
const CDK_FILE = 'shared-constructs/src/compliance.ts';

interface LintCase {
  readonly code: string;
  /** An existing file: typed linting only parses files its tsconfig knows, whatever text is linted. */
  readonly filePath: string;
}

interface LintMessage {
  readonly ruleId: string | null;
  readonly message: string;
}

/**
 * ESLint's Node API in a child process: it loads `eslint.config.mjs` with a dynamic import, which Jest's module
 * sandbox refuses. One process lints every case, because building the typed-lint program takes seconds.
 */
const LINT_SCRIPT = `
const { ESLint } = require('eslint');
let input = '';
process.stdin.on('data', (chunk) => (input += chunk)).on('end', async () => {
  const eslint = new ESLint();
  const results = [];
  for (const { code, filePath } of JSON.parse(input)) {
    const [result] = await eslint.lintText(code, { filePath });
    results.push(result.messages.map(({ ruleId, message }) => ({ ruleId, message })));
  }
  process.stdout.write(JSON.stringify(results));
});
`;

function lint(cases: readonly LintCase[]): LintMessage[][] {
  const child = spawnSync(process.execPath, ['-e', LINT_SCRIPT], {
    cwd: REPOSITORY_ROOT,
    input: JSON.stringify(cases.map((c) => ({ ...c, filePath: path.join(REPOSITORY_ROOT, c.filePath) }))),
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  if (child.status !== 0) throw new Error(`ESLint failed: ${child.stderr}`);
  return JSON.parse(child.stdout) as LintMessage[][];
}

const CDK_IMPORT = "import { Stack } from 'aws-cdk-lib';\n\nexport const stack = Stack;\n";
const REFUSED: readonly (LintCase & { readonly what: string })[] = [
  { what: 'an aws-cdk-lib import in a contract', code: CDK_IMPORT, filePath: CONTRACTS_FILE },
  {
    what: 'an aws-cdk-lib submodule import in a contract',
    code: "import { Bucket } from 'aws-cdk-lib/aws-s3';\n\nexport const bucket = Bucket;\n",
    filePath: CONTRACTS_FILE,
  },
  {
    what: 'a constructs import in a contract',
    code: "import { Construct } from 'constructs';\n\nexport const construct = Construct;\n",
    filePath: CONTRACTS_FILE,
  },
  {
    what: 'a cdk-nag re-export in a contract',
    code: "export { AwsSolutionsChecks } from 'cdk-nag';\n",
    filePath: CONTRACTS_FILE,
  },
  { what: 'an aws-cdk-lib import in the trigger Lambda', code: CDK_IMPORT, filePath: LAMBDA_FILE },
  {
    what: 'the package index (which re-exports the CDK helpers) in the trigger Lambda',
    code: "import { inputBucketName } from '@glue-platform/shared-constructs';\n\nexport const name = inputBucketName;\n",
    filePath: LAMBDA_FILE,
  },
  {
    what: 'a shared-constructs module reached by path in the trigger Lambda',
    code: "import { manifestSchema } from '@glue-platform/shared-constructs/src/manifest';\n\nexport const schema = manifestSchema;\n",
    filePath: LAMBDA_FILE,
  },
];
/** The one way in for runtime code. */
const CONTRACTS_IN_THE_LAMBDA: LintCase = {
  code: "import { manifestSchema } from '@glue-platform/shared-constructs/contracts';\n\nexport const schema = manifestSchema;\n",
  filePath: LAMBDA_FILE,
};
const CLEAN_CONTRACT: LintCase = {
  code: "import { z } from 'zod';\n\nexport const jobName = z.string();\n",
  filePath: CONTRACTS_FILE,
};
const CDK_IN_A_CONSTRUCT: LintCase = { code: CDK_IMPORT, filePath: CDK_FILE };

let refused: LintMessage[][];
let clean: LintMessage[];
let construct: LintMessage[];
let lambdaContracts: LintMessage[];

beforeAll(() => {
  const results = lint([...REFUSED, CLEAN_CONTRACT, CDK_IN_A_CONSTRUCT, CONTRACTS_IN_THE_LAMBDA]);
  refused = results.slice(0, REFUSED.length);
  [clean = [], construct = [], lambdaContracts = []] = results.slice(REFUSED.length);
}, 120_000);

const restricted = (found: readonly LintMessage[]): string[] =>
  found.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);

test.each(REFUSED.map((c, i) => [c.what, i] as const))('lint refuses %s', (_what, index) => {
  expect(restricted(refused[index] ?? [])).toEqual([
    expect.stringMatching(/bundled into runtimes|only from @glue-platform\/shared-constructs\/contracts/),
  ]);
});

test('lint accepts the trigger Lambda importing the contracts entry point', () => {
  expect(lambdaContracts).toEqual([]);
});

test('lint accepts a contract that imports only zod', () => {
  expect(clean).toEqual([]);
});

test('lint leaves CDK imports alone in the constructs outside the contracts', () => {
  expect(restricted(construct)).toEqual([]);
});

/** The smoke-test step embeds its script, contracts included, base64-encoded in one buildspec command. */
const MAX_CONTRACTS_BUNDLE_BYTES = 64 * 1024;

describe('the contracts bundled on their own', () => {
  let inputs: string[];
  let bytes: number;

  beforeAll(() => {
    const result = buildSync({
      entryPoints: [path.join(REPOSITORY_ROOT, 'shared-constructs/src/contracts/index.ts')],
      bundle: true,
      platform: 'node',
      minify: true,
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    inputs = Object.keys(result.metafile.inputs);
    bytes = result.outputFiles[0]?.contents.byteLength ?? Number.NaN;
  });

  test('pull in nothing from aws-cdk-lib, constructs or cdk-nag, even indirectly', () => {
    expect({
      cdk: inputs.filter((file) => /node_modules\/(aws-cdk-lib|constructs|cdk-nag)\//.test(file)),
      zod: inputs.some((file) => file.includes('node_modules/zod/')),
    }).toEqual({ cdk: [], zod: true });
  });

  test(`stay under ${MAX_CONTRACTS_BUNDLE_BYTES / 1024} KB minified, small enough to embed in a buildspec`, () => {
    expect(bytes).toBeLessThan(MAX_CONTRACTS_BUNDLE_BYTES);
  });
});
