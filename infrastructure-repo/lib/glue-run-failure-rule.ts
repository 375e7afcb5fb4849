import { glueJobName, glueRunFailureRuleName, NameContext } from '@glue-platform/shared-constructs';
import * as events from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';

import { AlarmTopic, AlarmTopicRuleTarget } from './alarm-topic';

export interface GlueRunFailureRuleProps {
  /** Names of the stage: the rule matches the Glue jobs named for this stage only. */
  readonly ctx: NameContext;
  /** Receives one message per failed run. */
  readonly topic: AlarmTopic;
}

/**
 * The end states of a Glue job run that need a person. STOPPED too: a run stopped by hand or by Glue leaves the
 * files of its manifest without an end as surely as a failure does.
 */
export const GLUE_FAILURE_STATES = ['FAILED', 'TIMEOUT', 'STOPPED', 'ERROR'];

/** Announces every run of one of the stage's Glue jobs that ends FAILED, TIMEOUT, STOPPED or ERROR. */
export class GlueRunFailureRule extends Construct {
  readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: GlueRunFailureRuleProps) {
    super(scope, id);
    const field = (path: string) => events.EventField.fromPath(path);
    this.rule = new events.Rule(this, 'Resource', {
      ruleName: glueRunFailureRuleName(props.ctx),
      description: `Glue job runs of ${props.ctx.project} stage ${props.ctx.stage} that did not succeed`,
      eventPattern: {
        source: ['aws.glue'],
        detailType: ['Glue Job State Change'],
        detail: {
          // Every job name of the stage starts with this prefix; the jobs themselves belong to the application app.
          jobName: events.Match.prefix(glueJobName(props.ctx, '')),
          state: GLUE_FAILURE_STATES,
        },
      },
      targets: [
        new AlarmTopicRuleTarget(
          props.topic,
          events.RuleTargetInput.fromText(
            `Glue job ${field('$.detail.jobName')} run ${field('$.detail.jobRunId')} ended ` +
              `${field('$.detail.state')}: ${field('$.detail.message')}`,
          ),
        ),
      ],
    });
  }
}
