/**
 * Reads CloudFormation DescribeChangeSet output (one or more pages, as the CLI prints it) into what an approver
 * needs: per stack, the resources added, modified, replaced and removed, with the changes to IAM, key policies
 * and security groups called out. Free of aws-cdk-lib: it is bundled into the step's script.
 */

export type ChangeKind = 'added' | 'modified' | 'replaced' | 'removed';
export const CHANGE_KINDS: readonly ChangeKind[] = ['added', 'modified', 'replaced', 'removed'];

export type CalloutCategory = 'IAM' | 'key policy' | 'security group';

export interface PropertyChange {
  /** Property or attribute name, such as `PolicyDocument` or `Tags`. */
  readonly name: string;
  /** Values CloudFormation reports when asked with --include-property-values. */
  readonly before?: string;
  readonly after?: string;
}

export interface ResourceChange {
  readonly kind: ChangeKind;
  readonly logicalId: string;
  readonly type: string;
  readonly physicalId?: string;
  /** `Conditional` when CloudFormation cannot tell before executing whether it replaces the resource. */
  readonly replacement?: 'True' | 'Conditional';
  /** What happens to a removed or replaced resource: Delete, Retain, Snapshot, ... */
  readonly policyAction?: string;
  /** `Import` when the resource is imported rather than created. */
  readonly action: string;
  readonly properties: readonly PropertyChange[];
  /** Set when the change touches permissions or network access. */
  readonly callout?: CalloutCategory;
}

export interface StackChangeSummary {
  readonly stackName: string;
  readonly changeSetName: string;
  readonly account: string;
  readonly region: string;
  /** False when CloudFormation found nothing to change (the change set then has status FAILED). */
  readonly hasChanges: boolean;
  readonly changes: readonly ResourceChange[];
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);
const optionalString = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/** Resource types that grant or deny access other than through AWS::IAM (resource-based policies). */
const RESOURCE_POLICY_TYPES = new Set([
  'AWS::S3::BucketPolicy',
  'AWS::SQS::QueuePolicy',
  'AWS::SNS::TopicPolicy',
  'AWS::Lambda::Permission',
  'AWS::Events::EventBusPolicy',
  'AWS::Glue::ResourcePolicy',
  'AWS::SecretsManager::ResourcePolicy',
]);
const SECURITY_GROUP_TYPES = new Set([
  'AWS::EC2::SecurityGroup',
  'AWS::EC2::SecurityGroupIngress',
  'AWS::EC2::SecurityGroupEgress',
]);

/**
 * Which call-out a change deserves. A KMS key is called out when it appears, disappears or its KeyPolicy
 * changes; when CloudFormation lists no property (it always should), the key is called out rather than missed.
 */
export function calloutFor(
  type: string,
  kind: ChangeKind,
  properties: readonly PropertyChange[],
): CalloutCategory | undefined {
  if (type.startsWith('AWS::IAM::') || RESOURCE_POLICY_TYPES.has(type)) return 'IAM';
  if (SECURITY_GROUP_TYPES.has(type)) return 'security group';
  if (type === 'AWS::KMS::Key') {
    if (kind !== 'modified' || properties.length === 0) return 'key policy';
    return properties.some((p) => p.name === 'KeyPolicy') ? 'key policy' : undefined;
  }
  return undefined;
}

function kindOf(action: string, replacement: string | undefined, where: string): ChangeKind {
  switch (action) {
    case 'Add':
    case 'Import':
      return 'added';
    case 'Remove':
      return 'removed';
    case 'Modify':
    case 'Dynamic':
      return replacement === 'True' || replacement === 'Conditional' ? 'replaced' : 'modified';
    default:
      throw new Error(
        `${where}: unknown ResourceChange.Action "${action}"; expected Add, Modify, Remove, Import or Dynamic`,
      );
  }
}

/** The changed properties of one resource change, each once, in CloudFormation's order. */
function propertiesOf(details: unknown): PropertyChange[] {
  const byName = new Map<string, PropertyChange>();
  for (const detail of Array.isArray(details) ? details : []) {
    const target = isRecord(detail) && isRecord(detail.Target) ? detail.Target : undefined;
    if (!target) continue;
    const name = optionalString(target.Name) ?? optionalString(target.Attribute);
    if (!name || byName.has(name)) continue;
    byName.set(name, {
      name,
      before: optionalString(target.BeforeValue),
      after: optionalString(target.AfterValue),
    });
  }
  return [...byName.values()];
}

function resourceChangeOf(change: unknown, where: string): ResourceChange | undefined {
  if (!isRecord(change)) throw new Error(`${where} is not an object`);
  if (change.Type !== undefined && change.Type !== 'Resource') return undefined;
  const resource = change.ResourceChange;
  if (!isRecord(resource)) throw new Error(`${where} has no ResourceChange object`);
  const action = optionalString(resource.Action);
  const logicalId = optionalString(resource.LogicalResourceId);
  const type = optionalString(resource.ResourceType);
  if (!action || !logicalId || !type) {
    throw new Error(`${where}.ResourceChange needs Action, LogicalResourceId and ResourceType`);
  }
  const replacement = optionalString(resource.Replacement);
  const kind = kindOf(action, replacement, where);
  const properties = propertiesOf(resource.Details);
  return {
    kind,
    action,
    logicalId,
    type,
    physicalId: optionalString(resource.PhysicalResourceId),
    replacement: replacement === 'True' || replacement === 'Conditional' ? replacement : undefined,
    policyAction: optionalString(resource.PolicyAction),
    properties,
    callout: calloutFor(type, kind, properties),
  };
}

/** The reasons CloudFormation gives a change set that has nothing to do. */
const NO_CHANGES = /didn't contain changes|No updates are to be performed/i;

/**
 * One stack's summary from the pages of `aws cloudformation describe-change-set --include-property-values`.
 * A change set that is neither complete nor empty fails: the approver must not see half a picture.
 */
export function summarizeChangeSet(
  target: { stackName: string; changeSetName: string; account: string; region: string },
  pages: readonly unknown[],
): StackChangeSummary {
  const where = `change set ${target.changeSetName} of ${target.stackName}`;
  const [first] = pages;
  if (!isRecord(first)) throw new Error(`${where}: DescribeChangeSet returned no object`);
  const status = optionalString(first.Status);
  const reason = optionalString(first.StatusReason) ?? '';
  const base = {
    stackName: target.stackName,
    changeSetName: target.changeSetName,
    account: target.account,
    region: target.region,
  };
  if (status === 'FAILED' && NO_CHANGES.test(reason)) return { ...base, hasChanges: false, changes: [] };
  if (status !== 'CREATE_COMPLETE') {
    throw new Error(
      `${where} is ${status ?? 'without a status'}${reason ? `: ${reason}` : ''}; expected CREATE_COMPLETE`,
    );
  }
  const changes: ResourceChange[] = [];
  pages.forEach((page, pageIndex) => {
    if (!isRecord(page)) throw new Error(`${where}: page ${pageIndex + 1} is not an object`);
    const list = page.Changes ?? [];
    if (!Array.isArray(list))
      throw new Error(`${where}: page ${pageIndex + 1} has Changes that are not a list`);
    list.forEach((change, index) => {
      const parsed = resourceChangeOf(change, `${where}: Changes[${index}] of page ${pageIndex + 1}`);
      if (parsed) changes.push(parsed);
    });
  });
  return { ...base, hasChanges: changes.length > 0, changes };
}

export function countByKind(summary: StackChangeSummary): Record<ChangeKind, number> {
  const counts: Record<ChangeKind, number> = { added: 0, modified: 0, replaced: 0, removed: 0 };
  for (const change of summary.changes) counts[change.kind] += 1;
  return counts;
}

/** The changes that touch permissions, key policies or network access, across every stack. */
export function callouts(
  summaries: readonly StackChangeSummary[],
): { stack: string; change: ResourceChange }[] {
  return summaries.flatMap((s) =>
    s.changes.filter((c) => c.callout !== undefined).map((change) => ({ stack: s.stackName, change })),
  );
}
