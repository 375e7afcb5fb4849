import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { IConstruct } from 'constructs';

/**
 * Runs cdk-nag's AWS Solutions pack on every synth of `app`. A finding fails the synth unless it was
 * acknowledged with `acknowledge` on the narrowest construct.
 */
export function addComplianceChecks(app: IConstruct): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
}

/**
 * Acknowledges one finding on one construct, with the reason a security reviewer reads. `id` is a rule
 * (`AwsSolutions-S1`) or one finding of a rule (`AwsSolutions-IAM5[Resource::*]`).
 */
export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  if (reason.trim().length < 20) {
    throw new Error(`Acknowledgement of ${id} at ${scope.node.path} needs a reason a reviewer can judge`);
  }
  Validations.of(scope).acknowledge({ id, reason });
}
