// The baseline of the synth benchmark: the smallest CDK app that still loads aws-cdk-lib and synthesizes a stack.
import { App, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';

const app = new App();
new s3.Bucket(new Stack(app, 'Bare'), 'Bucket');
