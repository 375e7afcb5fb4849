import { GLUE_CATALOG_ACTIONS } from './glue-catalog-access';
import {
  assetPublishingRoleName,
  CHANGE_SET_SUMMARY_STEP,
  PlatformApp,
  pipelineRoleName,
  pipelineStepRoleName,
  stagePermissionsBoundaryName,
} from './naming';

/**
 * The bootstrap template of a stage account, derived from the one the pinned CDK CLI prints
 * (`cdk bootstrap --show-template --json`) so it follows CDK's bootstrap version:
 *
 * - the deploy, lookup and publishing roles trust only the pipeline account's roles named by `naming.ts`
 *   (`aws:PrincipalArn`), not the whole pipeline account nor the stage account itself;
 * - CloudFormation deploys with an execution policy shipped here, not AdministratorAccess: every role it creates
 *   must carry the permissions boundary shipped here, it may attach no managed policy, and it manages only KMS
 *   keys tagged with the project (no Decrypt, no CreateGrant).
 *
 * `scripts/generate-stage-bootstrap.ts` writes the result to `bootstrap/stage-bootstrap.template.json`.
 */

/** A CloudFormation template as JSON. */
export type CfnTemplate = Record<string, unknown> & {
  Parameters: Record<string, Record<string, unknown>>;
  Conditions: Record<string, unknown>;
  Resources: Record<string, { Type: string; Properties: Record<string, unknown>; Condition?: string }>;
  Rules?: Record<string, unknown>;
};

/** The tag every KMS key of the stage stacks carries (value: the project); the execution policy requires it. */
export const MANAGED_KEY_TAG = 'glue-platform:project';

/** `BootstrapVariant` of the stage template: the CDK CLI will not replace it with its default by accident. */
export const STAGE_BOOTSTRAP_VARIANT = 'Glue GitOps platform: stage account';

/** Roles whose trust this template rewrites, with the pipeline-account roles each trusts. */
const APPS: readonly PlatformApp[] = ['infrastructure', 'application'];
const TRUSTED_ROLE_NAMES: Record<string, (project: string) => string[]> = {
  // CodePipeline's service role runs the CloudFormation actions as the deploy role.
  DeploymentActionRole: (project) => APPS.map((app) => pipelineRoleName(project, app)),
  // The apps do no context lookups; CDK tooling that reads the stage does it as a pipeline role, and each
  // pipeline's change-set summary step reads the change sets before an approval (one role per stage: `*`).
  LookupRole: (project) =>
    APPS.flatMap((app) => [
      pipelineRoleName(project, app),
      pipelineStepRoleName(project, app, CHANGE_SET_SUMMARY_STEP, '*'),
    ]),
  // cdk-assets in the asset-publishing CodeBuild project uploads as these roles.
  FilePublishingRole: (project) => APPS.map((app) => assetPublishingRoleName(project, app)),
  ImagePublishingRole: (project) => APPS.map((app) => assetPublishingRoleName(project, app)),
};

const sub = (text: string): { 'Fn::Sub': string } => ({ 'Fn::Sub': text });
const PROJECT = '${Project}';
const ACCOUNT_REGION = '${AWS::AccountId}-${AWS::Region}';
const arn = (service: string, resource: string, regional = true): { 'Fn::Sub': string } =>
  sub(`arn:\${AWS::Partition}:${service}:${regional ? '${AWS::Region}' : ''}:\${AWS::AccountId}:${resource}`);

/** The only managed policy the stacks attach (to CDK's custom resource provider roles). */
export const LAMBDA_BASIC_EXECUTION = 'service-role/AWSLambdaBasicExecutionRole';

/** The boundary's ARN in the template (`${Project}` and the region filled in by CloudFormation). */
const BOUNDARY_ARN = sub(
  `arn:\${AWS::Partition}:iam::\${AWS::AccountId}:policy/${stagePermissionsBoundaryName(PROJECT, '${AWS::Region}')}`,
);

/** Trust of one bootstrap role: the named roles of the pipeline account, and nothing else. */
function trustPolicy(roleNames: readonly string[]): Record<string, unknown> {
  const principalArns = roleNames.map((name) =>
    sub(`arn:\${AWS::Partition}:iam::\${PipelineAccount}:role/${name}`),
  );
  const principal = { AWS: sub('arn:${AWS::Partition}:iam::${PipelineAccount}:root') };
  const named = { ArnEquals: { 'aws:PrincipalArn': principalArns } };
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'NamedPipelineRolesAssume',
        Action: 'sts:AssumeRole',
        Effect: 'Allow',
        Principal: principal,
        Condition: {
          'Fn::If': ['ShouldDenyExternalId', { ...named, Null: { 'sts:ExternalId': 'true' } }, named],
        },
      },
      {
        Sid: 'NamedPipelineRolesTagSession',
        Action: 'sts:TagSession',
        Effect: 'Allow',
        Principal: principal,
        Condition: named,
      },
    ],
  };
}

/** What CloudFormation may do in the stage account: create and manage the platform's resources, nothing else. */
export function executionPolicyDocument(): Record<string, unknown> {
  const prefixed = (service: string, resource: string) => arn(service, `${resource}${PROJECT}-*`);
  const projectTag = { StringEquals: { [`aws:ResourceTag/${MANAGED_KEY_TAG}`]: { Ref: 'Project' } } };
  const newKeyTag = { StringEquals: { [`aws:RequestTag/${MANAGED_KEY_TAG}`]: { Ref: 'Project' } } };
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'PlatformBuckets',
        Effect: 'Allow',
        Action: [
          's3:CreateBucket',
          's3:DeleteBucket',
          's3:ListBucket',
          's3:GetBucketLocation',
          's3:GetBucketPolicy',
          's3:PutBucketPolicy',
          's3:DeleteBucketPolicy',
          's3:GetBucketTagging',
          's3:PutBucketTagging',
          's3:GetBucketVersioning',
          's3:PutBucketVersioning',
          's3:GetEncryptionConfiguration',
          's3:PutEncryptionConfiguration',
          's3:GetBucketPublicAccessBlock',
          's3:PutBucketPublicAccessBlock',
          's3:GetBucketOwnershipControls',
          's3:PutBucketOwnershipControls',
          's3:GetLifecycleConfiguration',
          's3:PutLifecycleConfiguration',
          's3:GetBucketLogging',
          's3:PutBucketLogging',
          's3:GetBucketNotification',
          's3:PutBucketNotification',
          's3:GetBucketAcl',
        ],
        Resource: sub(`arn:\${AWS::Partition}:s3:::${PROJECT}-*`),
      },
      {
        Sid: 'ReadCdkAssets',
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:GetObjectVersion'],
        Resource: sub(`arn:\${AWS::Partition}:s3:::cdk-\${Qualifier}-assets-${ACCOUNT_REGION}/*`),
      },
      {
        Sid: 'ReadBootstrapVersion',
        Effect: 'Allow',
        Action: ['ssm:GetParameter', 'ssm:GetParameters'],
        Resource: arn('ssm', 'parameter/cdk-bootstrap/${Qualifier}/version'),
      },
      {
        Sid: 'CreateKeysTaggedWithTheProject',
        Effect: 'Allow',
        Action: 'kms:CreateKey',
        Resource: '*',
        Condition: newKeyTag,
      },
      {
        Sid: 'TagNewKeysWithTheProject',
        Effect: 'Allow',
        Action: 'kms:TagResource',
        Resource: arn('kms', 'key/*'),
        Condition: newKeyTag,
      },
      {
        Sid: 'ManageKeysTaggedWithTheProject',
        Effect: 'Allow',
        Action: [
          'kms:DescribeKey',
          'kms:EnableKeyRotation',
          'kms:GetKeyPolicy',
          'kms:GetKeyRotationStatus',
          'kms:ListResourceTags',
          'kms:PutKeyPolicy',
          'kms:ScheduleKeyDeletion',
          'kms:TagResource',
          'kms:UpdateKeyDescription',
        ],
        Resource: arn('kms', 'key/*'),
        Condition: projectTag,
      },
      {
        // An alias is checked on the alias and on its key, and aliases carry no tags, so this statement names
        // them instead. An alias only names a key: using or managing the key still needs the statements above.
        Sid: 'PlatformKeyAliases',
        Effect: 'Allow',
        Action: ['kms:CreateAlias', 'kms:DeleteAlias', 'kms:UpdateAlias'],
        Resource: [arn('kms', `alias/${PROJECT}-*`), arn('kms', 'key/*')],
      },
      {
        Sid: 'CreateRolesOnlyWithTheBoundary',
        Effect: 'Allow',
        Action: [
          'iam:CreateRole',
          'iam:PutRolePolicy',
          'iam:DeleteRolePolicy',
          'iam:PutRolePermissionsBoundary',
        ],
        Resource: arn('iam', `role/${PROJECT}-*`, false),
        Condition: { ArnEquals: { 'iam:PermissionsBoundary': BOUNDARY_ARN } },
      },
      {
        // CDK's custom resource providers (S3 auto-delete) use the one AWS managed policy below; nothing else,
        // so no template can attach AdministratorAccess or any other managed policy.
        Sid: 'AttachOnlyLambdaBasicExecution',
        Effect: 'Allow',
        Action: ['iam:AttachRolePolicy', 'iam:DetachRolePolicy'],
        Resource: arn('iam', `role/${PROJECT}-*`, false),
        Condition: {
          ArnEquals: {
            'iam:PermissionsBoundary': BOUNDARY_ARN,
            'iam:PolicyARN': sub(`arn:\${AWS::Partition}:iam::aws:policy/${LAMBDA_BASIC_EXECUTION}`),
          },
        },
      },
      {
        Sid: 'ManagePlatformRoles',
        Effect: 'Allow',
        Action: [
          'iam:GetRole',
          'iam:DeleteRole',
          'iam:UpdateRole',
          'iam:UpdateRoleDescription',
          'iam:UpdateAssumeRolePolicy',
          'iam:GetRolePolicy',
          'iam:ListRolePolicies',
          'iam:ListAttachedRolePolicies',
          'iam:TagRole',
          'iam:UntagRole',
        ],
        Resource: arn('iam', `role/${PROJECT}-*`, false),
      },
      {
        Sid: 'PassPlatformRolesToGlueAndLambda',
        Effect: 'Allow',
        Action: 'iam:PassRole',
        Resource: arn('iam', `role/${PROJECT}-*`, false),
        Condition: {
          StringEquals: { 'iam:PassedToService': ['glue.amazonaws.com', 'lambda.amazonaws.com'] },
        },
      },
      {
        Sid: 'PlatformFunctions',
        Effect: 'Allow',
        Action: [
          'lambda:CreateFunction',
          'lambda:DeleteFunction',
          'lambda:GetFunction',
          'lambda:GetFunctionConfiguration',
          'lambda:UpdateFunctionCode',
          'lambda:UpdateFunctionConfiguration',
          'lambda:PutFunctionConcurrency',
          'lambda:DeleteFunctionConcurrency',
          'lambda:GetRuntimeManagementConfig',
          'lambda:PutRuntimeManagementConfig',
          'lambda:AddPermission',
          'lambda:RemovePermission',
          'lambda:InvokeFunction',
          'lambda:TagResource',
          'lambda:UntagResource',
          'lambda:ListTags',
        ],
        Resource: prefixed('lambda', 'function:'),
      },
      {
        Sid: 'CreatePlatformEventSourceMappings',
        Effect: 'Allow',
        Action: 'lambda:CreateEventSourceMapping',
        Resource: '*',
        Condition: { ArnLike: { 'lambda:FunctionArn': prefixed('lambda', 'function:') } },
      },
      {
        Sid: 'ManagePlatformEventSourceMappings',
        Effect: 'Allow',
        Action: [
          'lambda:GetEventSourceMapping',
          'lambda:UpdateEventSourceMapping',
          'lambda:DeleteEventSourceMapping',
        ],
        Resource: arn('lambda', 'event-source-mapping:*'),
        Condition: { ArnLike: { 'lambda:FunctionArn': prefixed('lambda', 'function:') } },
      },
      {
        Sid: 'PlatformQueues',
        Effect: 'Allow',
        Action: [
          'sqs:CreateQueue',
          'sqs:DeleteQueue',
          'sqs:GetQueueAttributes',
          'sqs:SetQueueAttributes',
          'sqs:GetQueueUrl',
          'sqs:TagQueue',
          'sqs:UntagQueue',
          'sqs:ListQueueTags',
        ],
        Resource: prefixed('sqs', ''),
      },
      {
        Sid: 'PlatformTopics',
        Effect: 'Allow',
        Action: [
          'sns:CreateTopic',
          'sns:DeleteTopic',
          'sns:GetTopicAttributes',
          'sns:SetTopicAttributes',
          'sns:Subscribe',
          'sns:ListSubscriptionsByTopic',
          'sns:TagResource',
          'sns:UntagResource',
          'sns:ListTagsForResource',
        ],
        Resource: prefixed('sns', ''),
      },
      {
        // Subscriptions (the alarm e-mail) and listing log groups have no resource-level permissions.
        Sid: 'ActionsWithoutResources',
        Effect: 'Allow',
        Action: [
          'sns:Unsubscribe',
          'sns:GetSubscriptionAttributes',
          'sns:SetSubscriptionAttributes',
          'logs:DescribeLogGroups',
        ],
        Resource: '*',
      },
      {
        Sid: 'PlatformTables',
        Effect: 'Allow',
        Action: [
          'dynamodb:CreateTable',
          'dynamodb:DeleteTable',
          'dynamodb:DescribeTable',
          'dynamodb:UpdateTable',
          'dynamodb:DescribeContinuousBackups',
          'dynamodb:UpdateContinuousBackups',
          'dynamodb:DescribeTimeToLive',
          'dynamodb:UpdateTimeToLive',
          'dynamodb:TagResource',
          'dynamodb:UntagResource',
          'dynamodb:ListTagsOfResource',
        ],
        Resource: prefixed('dynamodb', 'table/'),
      },
      {
        Sid: 'PlatformLogGroups',
        Effect: 'Allow',
        Action: [
          'logs:CreateLogGroup',
          'logs:DeleteLogGroup',
          'logs:PutRetentionPolicy',
          'logs:DeleteRetentionPolicy',
          'logs:AssociateKmsKey',
          'logs:DisassociateKmsKey',
          'logs:TagResource',
          'logs:UntagResource',
          'logs:ListTagsForResource',
        ],
        Resource: [
          prefixed('logs', 'log-group:/aws/lambda/'),
          arn('logs', `log-group:/aws/lambda/${PROJECT}-*:*`),
        ],
      },
      {
        Sid: 'PlatformAlarmsAndDashboards',
        Effect: 'Allow',
        Action: [
          'cloudwatch:PutMetricAlarm',
          'cloudwatch:DeleteAlarms',
          'cloudwatch:DescribeAlarms',
          'cloudwatch:TagResource',
          'cloudwatch:UntagResource',
          'cloudwatch:PutDashboard',
          'cloudwatch:GetDashboard',
          'cloudwatch:DeleteDashboards',
        ],
        Resource: [prefixed('cloudwatch', 'alarm:'), arn('cloudwatch', `dashboard/${PROJECT}-*`, false)],
      },
      {
        Sid: 'PlatformRules',
        Effect: 'Allow',
        Action: [
          'events:PutRule',
          'events:DeleteRule',
          'events:DescribeRule',
          'events:PutTargets',
          'events:RemoveTargets',
          'events:TagResource',
          'events:UntagResource',
        ],
        Resource: prefixed('events', 'rule/'),
      },
      {
        Sid: 'PlatformCatalogAndJobs',
        Effect: 'Allow',
        Action: [
          'glue:CreateDatabase',
          'glue:DeleteDatabase',
          'glue:GetDatabase',
          'glue:UpdateDatabase',
          'glue:CreateJob',
          'glue:UpdateJob',
          'glue:DeleteJob',
          'glue:GetJob',
          'glue:CreateTrigger',
          'glue:UpdateTrigger',
          'glue:DeleteTrigger',
          'glue:GetTrigger',
          'glue:StartTrigger',
          'glue:StopTrigger',
          'glue:TagResource',
          'glue:UntagResource',
          'glue:GetTags',
        ],
        Resource: [
          arn('glue', 'catalog'),
          arn('glue', 'database/${ProjectUnderscored}_*'),
          // Deleting a database deletes its tables and functions.
          arn('glue', 'table/${ProjectUnderscored}_*/*'),
          arn('glue', 'userDefinedFunction/${ProjectUnderscored}_*/*'),
          arn('glue', `job/${PROJECT}-*`),
          arn('glue', `trigger/${PROJECT}-*`),
        ],
      },
      {
        Sid: 'GlueSecurityConfigurations',
        Effect: 'Allow',
        Action: [
          'glue:CreateSecurityConfiguration',
          'glue:DeleteSecurityConfiguration',
          'glue:GetSecurityConfiguration',
        ],
        Resource: '*',
      },
    ],
  };
}

/** The most any role of the stage stacks may do, whatever its own policies say. */
export function permissionsBoundaryDocument(): Record<string, unknown> {
  const prefixed = (service: string, resource: string) => arn(service, `${resource}${PROJECT}-*`);
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'PlatformAndCdkAssetObjects',
        Effect: 'Allow',
        Action: [
          's3:GetObject',
          's3:GetObjectVersion',
          's3:PutObject',
          's3:DeleteObject',
          's3:AbortMultipartUpload',
          's3:ListBucket',
          's3:GetBucketLocation',
          // CDK's auto-delete of the buckets of a stage without retained data.
          's3:ListBucketVersions',
          's3:DeleteObjectVersion',
          's3:GetBucketTagging',
          's3:GetBucketPolicy',
          's3:PutBucketPolicy',
        ],
        Resource: [
          sub(`arn:\${AWS::Partition}:s3:::${PROJECT}-*`),
          sub(`arn:\${AWS::Partition}:s3:::${PROJECT}-*/*`),
          sub(`arn:\${AWS::Partition}:s3:::cdk-\${Qualifier}-assets-${ACCOUNT_REGION}/*`),
        ],
      },
      {
        Sid: 'UseKeysOfThisAccount',
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
        Resource: arn('kms', 'key/*'),
      },
      {
        Sid: 'PlatformCatalogAndJobRuns',
        Effect: 'Allow',
        Action: [...GLUE_CATALOG_ACTIONS, 'glue:StartJobRun', 'glue:GetJobRun', 'glue:GetJobRuns'],
        Resource: [
          arn('glue', 'catalog'),
          arn('glue', 'database/${ProjectUnderscored}_*'),
          arn('glue', 'table/${ProjectUnderscored}_*/*'),
          arn('glue', `job/${PROJECT}-*`),
        ],
      },
      {
        Sid: 'WriteLogs',
        Effect: 'Allow',
        Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:AssociateKmsKey'],
        Resource: [arn('logs', 'log-group:/aws-glue/*'), prefixed('logs', 'log-group:/aws/lambda/')],
      },
      {
        Sid: 'PlatformQueues',
        Effect: 'Allow',
        Action: [
          'sqs:ReceiveMessage',
          'sqs:DeleteMessage',
          'sqs:ChangeMessageVisibility',
          'sqs:GetQueueAttributes',
        ],
        Resource: prefixed('sqs', ''),
      },
      { Sid: 'PlatformTopics', Effect: 'Allow', Action: 'sns:Publish', Resource: prefixed('sns', '') },
      {
        Sid: 'PlatformTables',
        Effect: 'Allow',
        Action: [
          'dynamodb:GetItem',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
          'dynamodb:DeleteItem',
          'dynamodb:Query',
          'dynamodb:BatchGetItem',
          'dynamodb:BatchWriteItem',
          'dynamodb:ConditionCheckItem',
          'dynamodb:DescribeTable',
        ],
        Resource: [prefixed('dynamodb', 'table/'), arn('dynamodb', `table/${PROJECT}-*/index/*`)],
      },
      {
        Sid: 'ActionsWithoutResources',
        Effect: 'Allow',
        Action: ['cloudwatch:PutMetricData', 'cloudformation:ListExports'],
        Resource: '*',
      },
    ],
  };
}

/** Parameters CloudFormation cannot apply with this template; each is refused by a rule naming the reason. */
const REFUSED_PARAMETERS: Record<string, string> = {
  TrustedAccounts:
    'Do not pass --trust: this template trusts the named roles of PipelineAccount only (see docs/bootstrap.md).',
  TrustedAccountsForLookup:
    'Do not pass --trust-for-lookup: the lookup role trusts the named pipeline roles only.',
  CloudFormationExecutionPolicies:
    'Do not pass --cloudformation-execution-policies: this template ships the execution policy.',
};

/** The stage bootstrap template from CDK's, for the platform's `project` and pipeline account. */
export function stageBootstrapTemplate(
  upstream: CfnTemplate,
  defaults: { readonly project: string; readonly pipelineAccount: string },
): CfnTemplate {
  const template = JSON.parse(JSON.stringify(upstream)) as CfnTemplate;
  const resources = template.Resources;
  const missing = [...Object.keys(TRUSTED_ROLE_NAMES), 'CloudFormationExecutionRole'].filter(
    (id) => !resources[id],
  );
  if (missing.length > 0) {
    throw new Error(
      `CDK's bootstrap template has no ${missing.join(', ')}; update shared-constructs/src/stage-bootstrap.ts`,
    );
  }

  template.Description =
    'CDK bootstrap of a stage account of the Glue GitOps platform: the CDK roles trust named pipeline roles ' +
    'only, and CloudFormation deploys with a least-privilege execution policy and a permissions boundary.';
  template.Parameters.PipelineAccount = {
    Type: 'String',
    Description: 'The account of the pipelines; only its roles named after Project may use this account.',
    AllowedPattern: '^[0-9]{12}$',
    ConstraintDescription: 'an AWS account id of 12 digits',
    Default: defaults.pipelineAccount,
  };
  template.Parameters.Project = {
    Type: 'String',
    Description: 'The project prefix of platform.config.json; every name the stacks create starts with it.',
    AllowedPattern: '^[a-z][a-z0-9]*(-[a-z0-9]+)*$',
    ConstraintDescription: 'the project of platform.config.json (lowercase letters, digits, inner hyphens)',
    Default: defaults.project,
  };
  template.Parameters.ProjectUnderscored = {
    Type: 'String',
    Description: 'Project with hyphens as underscores, as Glue database names spell it.',
    AllowedPattern: '^[a-z][a-z0-9_]*$',
    Default: defaults.project.replace(/-/g, '_'),
  };
  template.Parameters.BootstrapVariant = {
    ...template.Parameters.BootstrapVariant,
    Default: STAGE_BOOTSTRAP_VARIANT,
  };

  for (const [id, names] of Object.entries(TRUSTED_ROLE_NAMES)) {
    const role = resources[id];
    if (role) role.Properties.AssumeRolePolicyDocument = trustPolicy(names(PROJECT));
  }

  // CDK's example boundary allows "*"; this template ships its own, so the example is neither created nor used.
  delete resources.CdkBoostrapPermissionsBoundaryPolicy;
  delete template.Conditions.ShouldCreatePermissionsBoundary;
  resources.StagePermissionsBoundary = {
    Type: 'AWS::IAM::ManagedPolicy',
    Properties: {
      ManagedPolicyName: sub(stagePermissionsBoundaryName(PROJECT, '${AWS::Region}')),
      Description: 'The most any role of the platform stacks in this account and region may do',
      PolicyDocument: permissionsBoundaryDocument(),
    },
  };
  resources.StageExecutionPolicy = {
    Type: 'AWS::IAM::ManagedPolicy',
    Properties: {
      ManagedPolicyName: sub(`${PROJECT}-cfn-execution-\${AWS::Region}`),
      Description: 'What CloudFormation may do when the pipeline deploys the platform stacks',
      PolicyDocument: executionPolicyDocument(),
    },
  };
  narrowDeployRole(resources.DeploymentActionRole?.Properties);
  const execution = resources.CloudFormationExecutionRole as { Properties: Record<string, unknown> };
  execution.Properties.ManagedPolicyArns = [{ Ref: 'StageExecutionPolicy' }];
  execution.Properties.AssumeRolePolicyDocument = {
    Version: '2012-10-17',
    Statement: [
      {
        Action: 'sts:AssumeRole',
        Effect: 'Allow',
        Principal: { Service: 'cloudformation.amazonaws.com' },
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
      },
    ],
  };
  dropUnusedConditions(template);
  // cfn-lint refuses a parameter nothing uses; the CDK CLI reads BootstrapVariant, and the output shows it.
  template.Outputs = {
    ...(template.Outputs as Record<string, unknown> | undefined),
    BootstrapVariant: {
      Description: 'Which bootstrap template this stack runs',
      Value: { Ref: 'BootstrapVariant' },
    },
  };
  // The bucket is private without the legacy ACL property (cfn-lint W3045); S3 owner-enforced ownership applies.
  const staging = resources.StagingBucket;
  if (staging) delete staging.Properties.AccessControl;

  template.Rules = {
    ...(template.Rules ?? {}),
    ...Object.fromEntries(
      Object.entries(REFUSED_PARAMETERS).map(([parameter, reason]) => [
        `No${parameter}`,
        {
          Assertions: [
            { Assert: { 'Fn::EachMemberEquals': [{ Ref: parameter }, ''] }, AssertDescription: reason },
          ],
        },
      ]),
    ),
    NoExampleBoundary: {
      Assertions: [
        {
          Assert: { 'Fn::Equals': [{ Ref: 'UseExamplePermissionsBoundary' }, 'false'] },
          AssertDescription:
            'Do not pass --example-permissions-boundary: this template ships its own boundary.',
        },
      ],
    },
  };
  return template;
}

/** Conditions no resource, output or other condition refers to any more (cfn-lint refuses unused ones). */
function dropUnusedConditions(template: CfnTemplate): void {
  for (;;) {
    const { Conditions, ...rest } = template;
    const unused = Object.keys(Conditions).filter((name) => {
      const others = JSON.stringify([rest, Object.entries(Conditions).filter(([n]) => n !== name)]);
      return !others.includes(`"${name}"`);
    });
    if (unused.length === 0) return;
    for (const name of unused) delete template.Conditions[name];
  }
}

/**
 * CDK's deploy role may create, change and delete any stack of the account; the pipeline deploys only the
 * project's (`<project>-<stage>-<app>`), so its stack statements name those.
 */
function narrowDeployRole(properties: Record<string, unknown> | undefined): void {
  const policies = (properties?.Policies ?? []) as {
    PolicyDocument: { Statement: Record<string, unknown>[] };
  }[];
  for (const sid of ['DeployPermissions', 'CliPermissions']) {
    const document = policies.find((p) =>
      p.PolicyDocument.Statement.some((s) => s.Sid === sid),
    )?.PolicyDocument;
    const statement = document?.Statement.find((s) => s.Sid === sid);
    if (!document || !statement) {
      throw new Error(
        `CDK's deploy role has no statement ${sid}; update shared-constructs/src/stage-bootstrap.ts`,
      );
    }
    const actions = (Array.isArray(statement.Action) ? statement.Action : [statement.Action]) as string[];
    const others = actions.filter((a) => !a.startsWith('cloudformation:'));
    statement.Action = actions.filter((a) => a.startsWith('cloudformation:'));
    statement.Resource = arn('cloudformation', `stack/${PROJECT}-*/*`);
    if (others.length > 0) {
      // sts:GetCallerIdentity has no resource.
      const at = document.Statement.indexOf(statement) + 1;
      document.Statement.splice(at, 0, {
        Sid: `${sid}WithoutResources`,
        Effect: 'Allow',
        Action: others,
        Resource: '*',
      });
    }
  }
}
