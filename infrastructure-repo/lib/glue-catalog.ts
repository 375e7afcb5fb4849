import {
  glueDatabaseName,
  glueSecurityConfigurationName,
  NameContext,
} from '@glue-platform/shared-constructs';
import { RemovalPolicy } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

export interface GlueCatalogProps {
  /** Names of the stage. */
  readonly ctx: NameContext;
  /** Encrypts what Glue writes to S3, its CloudWatch logs and its job bookmarks. */
  readonly key: kms.IKey;
  /** Keep the database (and so the table definitions) when the stack is deleted. */
  readonly retainData: boolean;
}

/** The stage's Glue database and the security configuration every job of the stage runs with. */
export class GlueCatalog extends Construct {
  readonly database: glue.Database;
  readonly securityConfiguration: glue.SecurityConfiguration;

  constructor(scope: Construct, id: string, props: GlueCatalogProps) {
    super(scope, id);
    const { ctx, key } = props;
    this.database = new glue.Database(this, 'Database', {
      databaseName: glueDatabaseName(ctx),
      description: `Curated datasets of ${ctx.project} stage ${ctx.stage}, written by the Glue jobs`,
      removalPolicy: props.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.securityConfiguration = new glue.SecurityConfiguration(this, 'SecurityConfiguration', {
      securityConfigurationName: glueSecurityConfigurationName(ctx),
      s3Encryption: glue.S3Encryption.kms(key),
      cloudWatchEncryption: glue.CloudWatchEncryption.kms(key),
      jobBookmarksEncryption: glue.JobBookmarksEncryption.clientSideKms(key),
    });
  }
}
