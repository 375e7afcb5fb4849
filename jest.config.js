// One jest run covers every workspace; tsc -b does the type-checking, so the transform only strips the types
// (jest.esbuild-transform.js says why with esbuild).
const transform = { '^.+\\.ts$': require.resolve('./jest.esbuild-transform.js') };
// CloudFormation validation engines kept for the whole worker (jest.cdk-environment.js says why).
const testEnvironment = require.resolve('./jest.cdk-environment.js');
const moduleNameMapper = {
  '^@aws/cloudformation-validate$': require.resolve('./jest.cloudformation-validate.js'),
};

const project = (name) => ({
  displayName: name,
  rootDir: `<rootDir>/${name}`,
  testEnvironment,
  moduleNameMapper,
  testMatch: ['<rootDir>/**/test/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/cdk.out/'],
  transform,
});

module.exports = {
  projects: [
    ...['shared-constructs', 'infrastructure-repo', 'application-repo', 'operator-cli'].map(project),
    // The end-to-end path on a local emulator (scripts/local-platform): moto, the trigger, the job on local Spark.
    { ...project('scripts/local-platform'), displayName: 'local-platform' },
  ],
};
