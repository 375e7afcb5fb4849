import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

export interface StageFunctionProps {
  readonly functionName: string;
  readonly description: string;
  /** The handler's source (exporting `handler`), bundled with esbuild. */
  readonly entry: string;
  readonly memorySize: number;
  readonly timeout: Duration;
  /** The function's role; used as is, never widened. */
  readonly role: iam.IRole;
  /** Its environment; NODE_OPTIONS is added so stack traces point into the sources. */
  readonly environment: Readonly<Record<string, string>>;
  /** The log group, which the stack creates rather than Lambda, so it has a retention and the stage's key. */
  readonly logGroupName: string;
  readonly logRetention: logs.RetentionDays;
  /** Encrypts the logs. */
  readonly key: kms.IKey;
  /** Keep the logs after the stack is deleted. */
  readonly retainData: boolean;
}

/**
 * One of the stage's Node.js Lambda functions (`Function`) and its log group (`Logs`) in `scope`: Node 24 on
 * ARM, JSON logs, bundled locally with esbuild (minified, with source maps), so no Docker is needed to synth.
 */
export function createStageFunction(
  scope: Construct,
  props: StageFunctionProps,
): { readonly function: nodejs.NodejsFunction; readonly logGroup: logs.LogGroup } {
  const logGroup = new logs.LogGroup(scope, 'Logs', {
    logGroupName: props.logGroupName,
    retention: props.logRetention,
    encryptionKey: props.key,
    removalPolicy: props.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
  });
  const fn = new nodejs.NodejsFunction(scope, 'Function', {
    functionName: props.functionName,
    description: props.description,
    entry: props.entry,
    handler: 'handler',
    runtime: lambda.Runtime.NODEJS_24_X,
    architecture: lambda.Architecture.ARM_64,
    memorySize: props.memorySize,
    timeout: props.timeout,
    role: props.role,
    logGroup,
    loggingFormat: lambda.LoggingFormat.JSON,
    environment: { ...props.environment, NODE_OPTIONS: '--enable-source-maps' },
    bundling: {
      minify: true,
      sourceMap: true,
      target: 'node24',
      forceDockerBundling: false,
    },
  });
  return { function: fn, logGroup };
}
