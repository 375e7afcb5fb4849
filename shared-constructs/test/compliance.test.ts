import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

import { App, Stack, Stage } from 'aws-cdk-lib';
import { Topic } from 'aws-cdk-lib/aws-sns';

import { acknowledge, addComplianceChecks } from '../src';

/** An app with the checks on and, inside a pipeline-like Stage, a topic that breaks AwsSolutions-SNS3. */
function appWithOpenTopic(): { app: App; topic: Topic } {
  const app = new App({ outdir: mkdtempSync(path.join(tmpdir(), 'nag-')) });
  addComplianceChecks(app);
  const stack = new Stack(new Stage(app, 'dev'), 'Stack');
  const topic = new Topic(stack, 'Topic', { enforceSSL: false });
  return { app, topic };
}

test('a cdk-nag finding in a nested stage fails the synth and names the rule', () => {
  const { app } = appWithOpenTopic();
  expect(() => app.synth()).toThrow(/AwsSolutions-SNS3/);
});

test('acknowledging the finding on the construct lets the synth pass', () => {
  const { app, topic } = appWithOpenTopic();
  acknowledge(topic, 'AwsSolutions-SNS3', 'Test topic: publishers are AWS services inside the account.');
  expect(() => app.synth()).not.toThrow();
});

test('acknowledging a different rule does not hide the finding', () => {
  const { app, topic } = appWithOpenTopic();
  acknowledge(topic, 'AwsSolutions-SNS2', 'Test topic: acknowledging an unrelated rule on purpose.');
  expect(() => app.synth()).toThrow(/AwsSolutions-SNS3/);
});

test('an acknowledgement without a reviewer-grade reason is refused', () => {
  const { topic } = appWithOpenTopic();
  expect(() => acknowledge(topic, 'AwsSolutions-SNS3', 'ok')).toThrow(/needs a reason/);
});
