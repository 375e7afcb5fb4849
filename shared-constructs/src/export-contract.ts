import { CfnOutput, Fn } from 'aws-cdk-lib';
import { Construct } from 'constructs';

import { NameContext } from './naming';

/**
 * What the infrastructure stack of a stage exports and the application stack of the same stage imports.
 * Values are physical names derived by `naming`, so they never change on redeploy ("export in use").
 */
export const EXPORT_KEYS = [
  'InputBucketName',
  'OutputBucketName',
  'AssetsBucketName',
  'DataKeyArn',
  'GlueJobRoleArn',
  'GlueDatabaseName',
  'GlueSecurityConfigurationName',
  'AlarmTopicArn',
  'FileLedgerTableName',
] as const;

export type ExportKey = (typeof EXPORT_KEYS)[number];

/** The CloudFormation export name of `key` for one stage (unique per account and region). */
export const exportName = (ctx: NameContext, key: ExportKey): string => `${ctx.project}-${ctx.stage}-${key}`;

/** Exports `value` under the contract's name; the output's logical id is the key. */
export function exportValue(scope: Construct, ctx: NameContext, key: ExportKey, value: string): CfnOutput {
  return new CfnOutput(scope, key, {
    value,
    exportName: exportName(ctx, key),
    description: `Contract export ${key}`,
  });
}

/** Imports a contract value exported by the infrastructure stack of the same stage. */
export const importValue = (ctx: NameContext, key: ExportKey): string => Fn.importValue(exportName(ctx, key));
