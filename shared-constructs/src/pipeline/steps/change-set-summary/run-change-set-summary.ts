import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

import { assumeRole, AwsCli, commandError, parseCliJson, runAwsCli } from '../aws-cli';

import { renderHtml, renderMarkdown, SummaryContext } from './render';
import { parseTargets, requireEnv, SUMMARY_ENV, SummaryTarget } from './step-env';
import { StackChangeSummary, summarizeChangeSet } from './summarize';

export interface ChangeSetSummaryDeps {
  readonly aws: AwsCli;
  readonly env: NodeJS.ProcessEnv;
  readonly log: (line: string) => void;
  /** Where the HTML is written before upload. @default a new temporary folder */
  readonly workDir?: string;
}

/** A change set has at most this many pages of 100 changes (CloudFormation's limit is 2,500 resources per stack). */
const MAX_PAGES = 50;

/** Every page of one change set, following NextToken. */
export function describeChangeSetPages(
  aws: AwsCli,
  target: SummaryTarget,
  env: NodeJS.ProcessEnv,
): unknown[] {
  const pages: unknown[] = [];
  let nextToken: string | undefined;
  do {
    const args = [
      'cloudformation',
      'describe-change-set',
      '--stack-name',
      target.stackName,
      '--change-set-name',
      target.changeSetName,
      '--region',
      target.region,
      '--include-property-values',
      '--no-paginate',
      ...(nextToken ? ['--next-token', nextToken] : []),
    ];
    const page = parseCliJson(aws(args, env), 'cloudformation describe-change-set');
    pages.push(page);
    const token = (page as { NextToken?: unknown }).NextToken;
    nextToken = typeof token === 'string' && token !== '' ? token : undefined;
    if (pages.length >= MAX_PAGES && nextToken) {
      throw new Error(
        `change set ${target.changeSetName} of ${target.stackName} has more than ${MAX_PAGES} pages`,
      );
    }
  } while (nextToken);
  return pages;
}

/**
 * The S3 console page of the uploaded summary: what the approval's review link opens. The key is not encoded: the
 * step's keys hold only names, slashes and, in the link, the `#{codepipeline.PipelineExecutionId}` variable that
 * CodePipeline must still recognise.
 */
export function consoleObjectUrl(bucket: string, key: string, region: string): string {
  return `https://${region}.console.aws.amazon.com/s3/object/${bucket}?region=${region}&prefix=${key}`;
}

/**
 * Pipeline step between change-set creation and the approval: describes each stack's change set as a read-only
 * role of the stage account, prints the summary, and uploads it as HTML where the approval's review link points.
 * Returns false, after saying why, when a change set cannot be read.
 */
export function runChangeSetSummary({ aws, env, log, workDir }: ChangeSetSummaryDeps): boolean {
  const context: SummaryContext = {
    stageName: requireEnv(env, SUMMARY_ENV.stageName),
    commitId: requireEnv(env, SUMMARY_ENV.commitId),
    commitMessage: env[SUMMARY_ENV.commitMessage] ?? '',
    executionId: requireEnv(env, SUMMARY_ENV.executionId),
  };
  const targets = parseTargets(requireEnv(env, SUMMARY_ENV.targets));
  const bucket = requireEnv(env, SUMMARY_ENV.bucket);
  const key = requireEnv(env, SUMMARY_ENV.objectKey);
  const bucketRegion = requireEnv(env, SUMMARY_ENV.bucketRegion);

  const summaries: StackChangeSummary[] = [];
  for (const target of targets) {
    let pages: unknown[];
    try {
      const asReader = assumeRole(aws, target.roleArn, `change-set-summary-${context.stageName}`, env);
      pages = describeChangeSetPages(aws, target, asReader);
    } catch (error) {
      log(
        `Cannot read change set ${target.changeSetName} of ${target.stackName} in ${target.account} ` +
          `${target.region} as ${target.roleArn}: ${commandError(error)}\n` +
          'The role is the CDK bootstrap lookup role of that account (read-only); bootstrap the account trusting ' +
          'the pipeline account (cdk bootstrap --trust), then retry this stage.',
      );
      return false;
    }
    summaries.push(summarizeChangeSet(target, pages));
  }

  log(renderMarkdown(context, summaries));
  const folder = workDir ?? mkdtempSync(path.join(tmpdir(), 'change-set-summary-'));
  const file = path.join(folder, 'summary.html');
  writeFileSync(file, renderHtml(context, summaries), 'utf8');
  aws(
    [
      's3api',
      'put-object',
      '--bucket',
      bucket,
      '--key',
      key,
      '--body',
      file,
      '--content-type',
      'text/html; charset=utf-8',
      '--region',
      bucketRegion,
    ],
    env,
  );
  log(`Summary for the approver: ${consoleObjectUrl(bucket, key, bucketRegion)}`);
  return true;
}

/** Entry point of the bundled script the pipeline step runs. */
export function main(): void {
  try {
    process.exitCode = runChangeSetSummary({ aws: runAwsCli, env: process.env, log: (l) => console.log(l) })
      ? 0
      : 1;
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  }
}
