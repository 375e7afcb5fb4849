import {
  calloutFor,
  callouts,
  countByKind,
  summarizeChangeSet,
} from '../../../src/pipeline/steps/change-set-summary/summarize';

import { fixture, PROD_APPLICATION, PROD_INFRASTRUCTURE } from './fixtures';

const twoPages = () =>
  summarizeChangeSet(PROD_INFRASTRUCTURE, [
    fixture('prod-infrastructure.page1'),
    fixture('prod-infrastructure.page2'),
  ]);

describe('summarizeChangeSet', () => {
  test('counts the resources added, modified, replaced and removed across every page', () => {
    expect(countByKind(twoPages())).toEqual({ added: 1, modified: 3, replaced: 2, removed: 1 });
  });

  test('a conditional replacement counts as replaced and says so', () => {
    const lambda = twoPages().changes.find((c) => c.logicalId === 'TriggerFunction3E9C4D21');
    expect(lambda).toMatchObject({ kind: 'replaced', replacement: 'Conditional' });
  });

  test('IAM, key-policy and security-group changes are called out, and nothing else', () => {
    const flagged = callouts([twoPages()]).map(({ change }) => [
      change.logicalId,
      change.callout,
      change.kind,
    ]);
    expect(flagged).toEqual([
      ['JobRoleDefaultPolicy7C2A3B10', 'IAM', 'modified'],
      ['DataKeyB2F7C1A4', 'key policy', 'modified'],
      ['LegacySecurityGroup9A8B7C6D', 'security group', 'removed'],
    ]);
  });

  test('each changed property is listed once, with the values CloudFormation reports', () => {
    const policy = twoPages().changes.find((c) => c.logicalId === 'JobRoleDefaultPolicy7C2A3B10');
    expect(policy?.properties).toHaveLength(1);
    expect(policy?.properties[0]?.name).toBe('PolicyDocument');
    expect(policy?.properties[0]?.after).toContain('s3:PutObject');
  });

  test('a change set without changes is an empty summary, not an error', () => {
    const summary = summarizeChangeSet(PROD_APPLICATION, [fixture('no-changes')]);
    expect(summary.hasChanges).toBe(false);
    expect(summary.changes).toEqual([]);
  });

  test('a change set that failed for another reason stops the summary with the reason', () => {
    expect(() =>
      summarizeChangeSet(PROD_APPLICATION, [{ Status: 'FAILED', StatusReason: 'No export named x found' }]),
    ).toThrow(/glue-etl-prod-application is FAILED: No export named x found; expected CREATE_COMPLETE/);
  });

  test('an unknown action is named, not dropped', () => {
    const page = {
      Status: 'CREATE_COMPLETE',
      Changes: [
        {
          Type: 'Resource',
          ResourceChange: { Action: 'Teleport', LogicalResourceId: 'A', ResourceType: 'AWS::S3::Bucket' },
        },
      ],
    };
    expect(() => summarizeChangeSet(PROD_APPLICATION, [page])).toThrow(
      /unknown ResourceChange.Action "Teleport"/,
    );
  });
});

describe('calloutFor', () => {
  test.each([
    ['AWS::IAM::Role', 'added', [], 'IAM'],
    ['AWS::S3::BucketPolicy', 'modified', [{ name: 'PolicyDocument' }], 'IAM'],
    ['AWS::EC2::SecurityGroupIngress', 'added', [], 'security group'],
    ['AWS::KMS::Key', 'added', [], 'key policy'],
    ['AWS::KMS::Key', 'modified', [{ name: 'KeyPolicy' }], 'key policy'],
    ['AWS::KMS::Key', 'modified', [{ name: 'Description' }], undefined],
    ['AWS::S3::Bucket', 'modified', [{ name: 'LifecycleConfiguration' }], undefined],
  ] as const)('%s %s %j -> %s', (type, kind, properties, expected) => {
    expect(calloutFor(type, kind, properties)).toBe(expected);
  });
});
