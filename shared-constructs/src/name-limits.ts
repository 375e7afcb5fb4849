import {
  accessLogsBucketName,
  alarmTopicName,
  assetsBucketName,
  dataKeyAlias,
  glueDatabaseName,
  glueJobName,
  glueJobRoleName,
  glueSecurityConfigurationName,
  inputBucketName,
  NameContext,
  outputBucketName,
  pipelineName,
  pipelineStackName,
  smokeTestRoleName,
  stageStackName,
  triggerDeadLetterQueueName,
  triggerFunctionName,
  triggerFunctionRoleName,
  triggerQueueName,
} from './naming';

/** A derived name and the AWS rule it must obey. */
interface NameRule {
  readonly what: string;
  readonly make: (ctx: NameContext) => string;
  readonly max: number;
  readonly min?: number;
  readonly pattern?: RegExp;
}

const S3_BUCKET = /^[a-z0-9][a-z0-9.-]*[a-z0-9]$/;
const GLUE_DATABASE = /^[a-z0-9_]+$/;

/** The longest job id the registry accepts; names are checked with it so any registered job fits. */
export const MAX_JOB_ID_LENGTH = 40;
const longestJobId = 'j'.repeat(MAX_JOB_ID_LENGTH);

/** Limits from the AWS service quotas pages: S3 3-63, IAM role 64, Lambda function 64, SQS 80, etc. */
const STAGE_NAME_RULES: readonly NameRule[] = [
  { what: 'input bucket name', make: inputBucketName, min: 3, max: 63, pattern: S3_BUCKET },
  { what: 'output bucket name', make: outputBucketName, min: 3, max: 63, pattern: S3_BUCKET },
  { what: 'assets bucket name', make: assetsBucketName, min: 3, max: 63, pattern: S3_BUCKET },
  { what: 'access-log bucket name', make: accessLogsBucketName, min: 3, max: 63, pattern: S3_BUCKET },
  { what: 'KMS alias', make: dataKeyAlias, max: 256 },
  { what: 'Glue database name', make: glueDatabaseName, max: 255, pattern: GLUE_DATABASE },
  { what: 'Glue security configuration name', make: glueSecurityConfigurationName, max: 255 },
  { what: 'Glue job name', make: (ctx) => glueJobName(ctx, longestJobId), max: 255 },
  { what: 'Glue job role name', make: glueJobRoleName, max: 64 },
  { what: 'trigger role name', make: triggerFunctionRoleName, max: 64 },
  { what: 'smoke-test role name', make: smokeTestRoleName, max: 64 },
  { what: 'trigger function name', make: triggerFunctionName, max: 64 },
  { what: 'trigger queue name', make: triggerQueueName, max: 80 },
  { what: 'dead-letter queue name', make: triggerDeadLetterQueueName, max: 80 },
  { what: 'alarm topic name', make: alarmTopicName, max: 256 },
  { what: 'infrastructure stack name', make: (ctx) => stageStackName(ctx, 'infrastructure'), max: 128 },
  { what: 'application stack name', make: (ctx) => stageStackName(ctx, 'application'), max: 128 },
];

/** A derived name that breaks an AWS rule: which name, its value and the rule. */
export interface NameProblem {
  readonly what: string;
  readonly name: string;
  readonly expected: string;
}

const check = (rule: NameRule, name: string): NameProblem | undefined => {
  const min = rule.min ?? 1;
  if (name.length > rule.max || name.length < min) {
    return { what: rule.what, name, expected: `${min}-${rule.max} characters, got ${name.length}` };
  }
  if (rule.pattern && !rule.pattern.test(name)) {
    return { what: rule.what, name, expected: `to match ${rule.pattern.source}` };
  }
  return undefined;
};

/** Every name of one stage that AWS would reject. */
export function stageNameProblems(ctx: NameContext): NameProblem[] {
  return STAGE_NAME_RULES.map((rule) => check(rule, rule.make(ctx))).filter(
    (p): p is NameProblem => p !== undefined,
  );
}

/** Every project-level name (pipelines and their stacks) that AWS would reject. */
export function projectNameProblems(project: string): NameProblem[] {
  const rules: NameRule[] = (['infrastructure', 'application'] as const).flatMap((app) => [
    { what: `${app} pipeline name`, make: () => pipelineName(project, app), max: 100 },
    { what: `${app} pipeline stack name`, make: () => pipelineStackName(project, app), max: 128 },
  ]);
  const noContext = { project, stage: '', account: '', region: '' };
  return rules.map((rule) => check(rule, rule.make(noContext))).filter((p): p is NameProblem => !!p);
}
