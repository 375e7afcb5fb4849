import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import { importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/cdk.out/**',
      '.build/**',
      '.venv/**',
      'bench/out/**',
      '**/*.js',
      '**/*.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      'import-x/order': ['error', { alphabetize: { order: 'asc' }, 'newlines-between': 'always' }],
      'import-x/no-extraneous-dependencies': [
        'error',
        {
          devDependencies: ['**/test/**', '**/bench/**', 'scripts/**'],
          packageDir: ['.', 'shared-constructs', 'infrastructure-repo', 'application-repo', 'operator-cli'],
        },
      ],
      'no-var': 'error',
    },
  },
  {
    files: ['**/test/**/*.ts'],
    rules: { '@typescript-eslint/unbound-method': 'off' },
  },
  {
    files: ['shared-constructs/src/contracts/**', 'infrastructure-repo/lambda/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['aws-cdk-lib', 'aws-cdk-lib/*', 'constructs', 'cdk-nag'],
              message:
                'Code that runs outside CDK (the contracts, the trigger Lambda) is bundled into runtimes: ' +
                'aws-cdk-lib, constructs and cdk-nag would add megabytes and a cold-start cost there. ' +
                'Move what both sides need into shared-constructs/src/contracts.',
            },
            {
              // The package index re-exports the CDK helpers, and `src/*` paths bypass the contracts' boundary.
              regex: '^@glue-platform/shared-constructs(/src(/.*)?)?$',
              message:
                'Runtime code imports shared contracts only from @glue-platform/shared-constructs/contracts: ' +
                'the package index and its src/ modules may pull aws-cdk-lib into the bundle.',
            },
          ],
        },
      ],
    },
  },
  {
    // The operator CLI runs from its sources on every call: it takes only CDK-free modules of
    // shared-constructs (the contracts, naming, the config loader, the manifest), never the package index.
    files: ['operator-cli/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@glue-platform/shared-constructs',
              message:
                'The index also exports the CDK helpers. Import the CDK-free module itself: ' +
                '@glue-platform/shared-constructs/contracts or @glue-platform/shared-constructs/src/<module>.',
            },
          ],
          patterns: [
            {
              group: ['aws-cdk-lib', 'aws-cdk-lib/*', 'constructs', 'cdk-nag'],
              message: 'The operator CLI talks to AWS through the SDK; CDK belongs to the apps.',
            },
          ],
        },
      ],
    },
  },
  prettier,
);
