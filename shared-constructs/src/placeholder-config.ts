import { PlatformConfigInput } from './config-schema';

/**
 * A config on the documentation's placeholder accounts (pipeline 111111111111, dev 222222222222, prod
 * 333333333333) with the given stages: what tests and examples build on, so none of them needs real accounts.
 */
export const placeholderConfig = (
  stages: PlatformConfigInput['stages'] = [
    { name: 'dev', account: '222222222222', region: 'eu-west-1' },
    { name: 'prod', account: '333333333333', region: 'eu-west-1', requireApproval: true, retainData: true },
  ],
): PlatformConfigInput => ({
  project: 'glue-etl',
  pipeline: { account: '111111111111', region: 'eu-west-1' },
  source: {
    connectionArn:
      'arn:aws:codeconnections:eu-west-1:111111111111:connection/00000000-0000-0000-0000-000000000000',
    repository: 'example-org/glue-gitops-platform',
    branch: 'main',
  },
  stages,
});
