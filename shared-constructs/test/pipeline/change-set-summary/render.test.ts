import { renderHtml, renderMarkdown } from '../../../src/pipeline/steps/change-set-summary/render';
import { summarizeChangeSet } from '../../../src/pipeline/steps/change-set-summary/summarize';

import { fixture, PROD_APPLICATION, PROD_INFRASTRUCTURE } from './fixtures';

const summaries = [
  summarizeChangeSet(PROD_INFRASTRUCTURE, [
    fixture('prod-infrastructure.page1'),
    fixture('prod-infrastructure.page2'),
  ]),
  summarizeChangeSet(PROD_APPLICATION, [fixture('no-changes')]),
];
const context = {
  stageName: 'prod',
  commitId: '0123456789abcdef0123456789abcdef01234567',
  commitMessage: 'Grant the job PutObject <b>\nbody line',
  executionId: '11111111-2222-3333-4444-555555555555',
};

describe('the Markdown summary', () => {
  const markdown = renderMarkdown(context, summaries);

  test('names the stage, the commit with its subject line and the execution', () => {
    expect(markdown).toContain('# Changes to prod');
    expect(markdown).toContain(`Commit \`${context.commitId}\`: Grant the job PutObject <b>`);
    expect(markdown).not.toContain('body line');
    expect(markdown).toContain(context.executionId);
  });

  test('calls out the security-relevant changes first, with before and after values', () => {
    const calloutSection = markdown.slice(
      markdown.indexOf('## Security-relevant changes (3)'),
      markdown.indexOf('## glue-etl'),
    );
    expect(calloutSection).toContain('**IAM**: modified `JobRoleDefaultPolicy7C2A3B10` (AWS::IAM::Policy)');
    expect(calloutSection).toContain('**key policy**: modified `DataKeyB2F7C1A4`');
    expect(calloutSection).toContain('**security group**: removed `LegacySecurityGroup9A8B7C6D`');
    expect(calloutSection).toMatch(/PolicyDocument after: `.*s3:PutObject/);
  });

  test('gives each stack its counts and a row per change, and says when a stack does not change', () => {
    expect(markdown).toContain('1 added, 3 modified, 2 replaced, 1 removed');
    expect(markdown).toContain(
      '| replaced | OutputBucketC8B7A5E0 | AWS::S3::Bucket | BucketName | old resource: ReplaceAndRetain |',
    );
    expect(markdown).toContain(
      '| replaced | TriggerFunction3E9C4D21 | AWS::Lambda::Function | Code, FunctionName | may be replaced |',
    );
    expect(markdown).toMatch(/## glue-etl-prod-application \(333333333333, eu-west-1\)\n\nNo changes/);
  });
});

describe('the HTML summary', () => {
  const html = renderHtml(context, summaries);

  test('escapes what comes from the commit and the templates', () => {
    expect(html).toContain('Grant the job PutObject &lt;b&gt;');
    expect(html).not.toContain('PutObject <b>');
  });

  test('holds the same counts, call-outs and rows as the Markdown', () => {
    expect(html).toContain('1 added, 3 modified, 2 replaced, 1 removed');
    expect(html).toContain('Security-relevant changes (3)');
    expect(html.match(/<tr style=/g)).toHaveLength(7);
    expect(html).toContain('No changes: executing this change set does nothing.');
  });

  test('needs nothing from elsewhere: no script, no external resource', () => {
    expect(html).not.toMatch(/<script|src=|href=/i);
  });
});
