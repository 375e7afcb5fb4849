import { Stack } from 'aws-cdk-lib';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';

import { acknowledge } from '../compliance';

import { nagResourceText } from './nag-findings';

/** A wildcard that CDK's pipelines module writes into its own roles, and why a reviewer can accept it. */
interface KnownWildcard {
  readonly kind: 'Action' | 'Resource';
  readonly pattern: RegExp;
  /**
   * What the rest of the statement must be for the wildcard to be the known one: every resource of the
   * statement (for an action wildcard) or every action (for a resource wildcard) must match.
   */
  readonly rest: RegExp;
  readonly reason: string;
}

const ARTIFACT_BUCKET =
  /^(<PipelineArtifactsBucket[A-F0-9]{8}\.Arn>|arn:(aws|<AWS::Partition>):s3:::[a-z0-9.-]*eplicationbucket[a-f0-9]{20})(\/\*)?$/;
const ARTIFACT_KEY = /^(<PipelineArtifactsBucketEncryptionKey[A-F0-9]{8}\.Arn>|\*)$/;
const CODEBUILD_LOGS = /^logs:(CreateLogGroup|CreateLogStream|PutLogEvents)$/;
const CODEBUILD_REPORTS =
  /^codebuild:(BatchPutCodeCoverages|BatchPutTestCases|CreateReport|CreateReportGroup|UpdateReport)$/;
const SHARED_PUBLISHING_ROLE =
  'The asset-publishing role is shared by the publishing projects CDK generates at synth time, whose names are ' +
  'not known when the role is written; it is limited to CodeBuild ';

/**
 * Every wildcard that a pipeline built by `PlatformPipelineStack` has in its generated IAM policies. A wildcard
 * not listed here, or listed but in a different statement, stays a finding and fails the synth: a new one is
 * looked at, not waved through.
 */
const KNOWN_WILDCARDS: readonly KnownWildcard[] = [
  {
    kind: 'Action',
    pattern: /^kms:(GenerateDataKey|ReEncrypt)\*$/,
    rest: ARTIFACT_KEY,
    reason:
      "CDK's grant on the pipeline's artifact key (or a replication key of another region, see the Resource::* " +
      'finding); the wildcard covers the data-key variants the S3 client uses.',
  },
  {
    kind: 'Action',
    pattern: /^s3:(GetObject|GetBucket|List|DeleteObject|Abort)\*$/,
    rest: ARTIFACT_BUCKET,
    reason: "CDK's read or read-write grant on the pipeline's artifact or replication buckets only.",
  },
  {
    kind: 'Resource',
    pattern: /^<PipelineArtifactsBucket[A-F0-9]{8}\.Arn>\/\*$/,
    rest: /^s3:/,
    reason:
      'Pipeline artifacts: CodePipeline names the objects per execution inside the pipeline artifact bucket.',
  },
  {
    kind: 'Resource',
    pattern: /^arn:(aws|<AWS::Partition>):s3:::[a-z0-9.-]*eplicationbucket[a-f0-9]{20}\/\*$/,
    rest: /^s3:/,
    reason:
      'Pipeline artifacts replicated for a stage in another region: CodePipeline names the objects per execution ' +
      'inside the replication bucket of that region.',
  },
  {
    kind: 'Resource',
    pattern: /^\*$/,
    rest: /^kms:(Decrypt|DescribeKey|Encrypt|ReEncrypt\*|GenerateDataKey\*)$/,
    reason:
      'The replication key of another region lives in its support stack and is referenced by alias, so CDK ' +
      'grants usage without a key ARN; the key policy of that key admits only the pipeline account.',
  },
  {
    kind: 'Resource',
    pattern: /^arn:(aws|<AWS::Partition>):logs:[^:]+:\d{12}:log-group:\/aws\/codebuild\/<[A-Za-z0-9]+>:\*$/,
    rest: CODEBUILD_LOGS,
    reason: 'The log streams of this CodeBuild project own log group; CodeBuild names a stream per build.',
  },
  {
    kind: 'Resource',
    pattern: /^arn:(aws|<AWS::Partition>):codebuild:[^:]+:\d{12}:report-group\/<[A-Za-z0-9]+>-\*$/,
    rest: CODEBUILD_REPORTS,
    reason: 'Test report groups of this CodeBuild project only (its name is their prefix).',
  },
  {
    kind: 'Resource',
    pattern: /^arn:(aws|<AWS::Partition>):logs:[^:]+:\d{12}:log-group:\/aws\/codebuild\/\*$/,
    rest: CODEBUILD_LOGS,
    reason: `${SHARED_PUBLISHING_ROLE}log groups of the pipeline account.`,
  },
  {
    kind: 'Resource',
    pattern: /^arn:(aws|<AWS::Partition>):codebuild:[^:]+:\d{12}:report-group\/\*$/,
    rest: CODEBUILD_REPORTS,
    reason: `${SHARED_PUBLISHING_ROLE}report groups of the pipeline account.`,
  },
  {
    kind: 'Resource',
    pattern: /^<ChangeSetSummaries[A-F0-9]{8}\.Arn>\/[a-z0-9-]+\/\*$/,
    rest: /^s3:PutObject$/,
    reason:
      "Change-set summaries: one object per execution and stage under the pipeline's own prefix of the summary " +
      'bucket; the execution id in the key is known only at run time. Write only, no read or delete.',
  },
  {
    kind: 'Resource',
    pattern: /^arn:\*:iam::\d{12}:role\/\*$/,
    rest: /^sts:AssumeRole$/,
    reason:
      'Self-mutation assumes the CDK bootstrap roles of the pipeline account; the statement is conditioned on ' +
      'their aws-cdk:bootstrap-role tag (deploy, file-publishing, image-publishing).',
  },
  {
    kind: 'Resource',
    pattern: /^\*$/,
    rest: /^(cloudformation:DescribeStacks|s3:ListBucket|codebuild:(BatchGetBuilds|StartBuild|StopBuild))$/,
    reason:
      'Self-mutation reads stack outputs and lists buckets by names known only at deploy time, and the ' +
      'publishing role controls builds of the projects CDK generates; none of these actions modifies data.',
  },
];

const asList = (value: unknown): unknown[] =>
  Array.isArray(value) ? value : value === undefined ? [] : [value];

/** IAM5 finding ids (and reasons) for the wildcards of one policy document that are in KNOWN_WILDCARDS. */
export function knownWildcardFindings(scope: IConstruct, policyDocument: unknown): Map<string, string> {
  const resolved = Stack.of(scope).resolve(policyDocument) as { Statement?: Record<string, unknown>[] };
  const findings = new Map<string, string>();
  for (const statement of resolved.Statement ?? []) {
    if (statement.Effect !== 'Allow') continue;
    const actions = asList(statement.Action).map(String);
    const resources = asList(statement.Resource).map((r) => nagResourceText(scope, r));
    const wildcards = [
      ...actions.map((text) => ({ kind: 'Action' as const, text, rest: resources })),
      ...resources.map((text) => ({ kind: 'Resource' as const, text, rest: actions })),
    ].filter((w) => w.text.includes('*'));
    for (const wildcard of wildcards) {
      const known = KNOWN_WILDCARDS.find(
        (k) =>
          k.kind === wildcard.kind &&
          k.pattern.test(wildcard.text) &&
          wildcard.rest.every((r) => k.rest.test(r)),
      );
      if (known) findings.set(`AwsSolutions-IAM5[${wildcard.kind}::${wildcard.text}]`, known.reason);
    }
  }
  return findings;
}

/**
 * Acknowledges, on each generated IAM policy under `scope`, exactly the wildcard findings CDK's pipelines module
 * is known to produce. Call it after `buildPipeline()`, when the policies are complete.
 */
export function acknowledgePipelineFindings(scope: IConstruct): void {
  for (const policy of scope.node.findAll()) {
    if (!(policy instanceof iam.CfnPolicy)) continue;
    for (const [id, reason] of knownWildcardFindings(policy, policy.policyDocument))
      acknowledge(policy, id, reason);
  }
}

/**
 * The replication buckets CDK creates in a support stack per extra region: they hold transient copies of the
 * artifacts; their server access logs would need a log bucket per region for objects that live one execution.
 */
export function acknowledgeReplicationBuckets(pipeline: codepipeline.Pipeline): void {
  for (const support of Object.values(pipeline.crossRegionSupport)) {
    if (support.stack === Stack.of(pipeline)) continue;
    acknowledge(
      support.replicationBucket,
      'AwsSolutions-S1',
      'Cross-region replication bucket of the pipeline: transient, KMS-encrypted copies of the artifacts whose ' +
        'reads are the deploy actions already recorded by CloudTrail and the pipeline execution history.',
    );
  }
}
