import { Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

import { acknowledge } from '../compliance';

/**
 * The text cdk-nag puts between the brackets of an `AwsSolutions-IAM5[Resource::...]` finding: the resolved ARN
 * with `${X}` written `<X>`, a `Ref` as `<Id>` and a `GetAtt` as `<Id.Attr>`. Computing it from the same token
 * the policy uses keeps each acknowledgement bound to exactly one resource pattern.
 */
export function nagResourceText(scope: IConstruct, arn: unknown): string {
  return flatten(Stack.of(scope).resolve(arn));
}

function flatten(node: unknown): string {
  if (typeof node === 'string') return node.replace(/\${/g, '<').replace(/}/g, '>');
  if (node !== null && typeof node === 'object') {
    const record = node as Record<string, unknown>;
    if (Array.isArray(record['Fn::Join'])) {
      const [delimiter, items] = record['Fn::Join'] as [string, unknown[]];
      return items.map(flatten).join(delimiter);
    }
    if ('Fn::Sub' in record) return flatten(record['Fn::Sub']);
    if (Array.isArray(record['Fn::GetAtt'])) {
      const [resource, attribute] = record['Fn::GetAtt'] as [unknown, unknown];
      return `<${flatten(resource)}.${flatten(attribute)}>`;
    }
    if ('Fn::ImportValue' in record) return flatten(record['Fn::ImportValue']);
    if ('Ref' in record) return `<${flatten(record.Ref)}>`;
  }
  return JSON.stringify(node);
}

/** Acknowledges the IAM5 finding for one wildcard resource of `scope`'s policies, and nothing else. */
export function acknowledgeWildcardResource(scope: IConstruct, arn: string, reason: string): void {
  acknowledge(scope, `AwsSolutions-IAM5[Resource::${nagResourceText(scope, arn)}]`, reason);
}
