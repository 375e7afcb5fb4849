import { CfnTrigger, IJob } from 'aws-cdk-lib/aws-glue';
import { Construct } from 'constructs';

export interface GlueJobScheduleProps {
  /** The job the schedule starts, with its default arguments. */
  readonly job: IJob;
  /** A Glue cron expression in UTC, such as `cron(30 3 * * ? *)` (the config validates its shape). */
  readonly schedule: string;
  /**
   * Physical name of the trigger.
   * @default - a name CloudFormation generates
   */
  readonly triggerName?: string;
  /**
   * Shown in the Glue console.
   * @default - no description
   */
  readonly description?: string;
}

/**
 * Starts one Glue job on a schedule: a standalone SCHEDULED trigger. The aws-glue L2 offers scheduled triggers
 * only inside a Workflow, which would add a resource and a run graph around a single job; its failed runs reach
 * the stage's alarm through the same Glue job state events as any other run.
 */
export class GlueJobSchedule extends Construct {
  readonly trigger: CfnTrigger;

  constructor(scope: Construct, id: string, props: GlueJobScheduleProps) {
    super(scope, id);
    this.trigger = new CfnTrigger(this, 'Resource', {
      name: props.triggerName,
      description: props.description,
      type: 'SCHEDULED',
      schedule: props.schedule,
      // A scheduled trigger created without this stays in the CREATED state and never fires.
      startOnCreation: true,
      actions: [{ jobName: props.job.jobName }],
    });
  }
}
