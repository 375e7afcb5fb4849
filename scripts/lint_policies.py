"""Lint every IAM policy the platform deploys with parliament: the stage bootstrap template's policies and every
identity policy (inline, managed, AWS::IAM::Policy) of every template synthesized under .build/synth.

CloudFormation intrinsics are resolved to example values first (placeholder accounts, each resource's ARN built
from its type and name), because parliament reads plain policy JSON. A policy whose intrinsics cannot be resolved
is an error, not skipped. Each finding fails the run unless scripts/policy-lint-acknowledgements.json acknowledges
it (by template, resource, issue and, optionally, statement id and a pattern of the detail) with a reason; an
acknowledgement that matches nothing fails too, so the file cannot go stale.

Usage: .venv/bin/python scripts/lint_policies.py [synth directory [acknowledgements file]]
       (default .build/synth and scripts/policy-lint-acknowledgements.json)
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from parliament import analyze_policy_string  # type: ignore[import-untyped]

ROOT = Path(__file__).resolve().parent.parent
BOOTSTRAP_TEMPLATE = ROOT / "bootstrap" / "stage-bootstrap.template.json"
ACKNOWLEDGEMENTS = Path(__file__).resolve().parent / "policy-lint-acknowledgements.json"

ACCOUNT = "222222222222"
REGION = "eu-west-1"
PSEUDO = {
    "AWS::Partition": "aws",
    "AWS::AccountId": ACCOUNT,
    "AWS::Region": REGION,
    "AWS::URLSuffix": "amazonaws.com",
    "AWS::StackName": "example-stack",
    # Fn::If branches that resolve to it are dropped by without_no_value, as CloudFormation drops them.
    "AWS::NoValue": "AWS::NoValue",
}

# How a resource's ARN (Fn::GetAtt Arn) and Ref read, by type: {name} is its physical name or logical id.
ARNS = {
    "AWS::S3::Bucket": "arn:aws:s3:::{name}",
    "AWS::KMS::Key": f"arn:aws:kms:{REGION}:{ACCOUNT}:key/{{name}}",
    "AWS::SQS::Queue": f"arn:aws:sqs:{REGION}:{ACCOUNT}:{{name}}",
    "AWS::SNS::Topic": f"arn:aws:sns:{REGION}:{ACCOUNT}:{{name}}",
    "AWS::IAM::Role": f"arn:aws:iam::{ACCOUNT}:role/{{name}}",
    "AWS::Lambda::Function": f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{{name}}",
    "AWS::Logs::LogGroup": f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:{{name}}:*",
    "AWS::CodeBuild::Project": f"arn:aws:codebuild:{REGION}:{ACCOUNT}:project/{{name}}",
    "AWS::CodePipeline::Pipeline": f"arn:aws:codepipeline:{REGION}:{ACCOUNT}:{{name}}",
    "AWS::DynamoDB::Table": f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{{name}}",
    "AWS::DynamoDB::GlobalTable": f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{{name}}",
    "AWS::ECR::Repository": f"arn:aws:ecr:{REGION}:{ACCOUNT}:repository/{{name}}",
    "AWS::Events::Rule": f"arn:aws:events:{REGION}:{ACCOUNT}:rule/{{name}}",
    "AWS::Glue::Job": f"arn:aws:glue:{REGION}:{ACCOUNT}:job/{{name}}",
    "AWS::IAM::ManagedPolicy": f"arn:aws:iam::{ACCOUNT}:policy/{{name}}",
}
# Types whose Ref is their ARN rather than their name.
REF_IS_ARN = {"AWS::SNS::Topic", "AWS::IAM::ManagedPolicy"}
NAME_PROPERTIES = (
    "BucketName",
    "QueueName",
    "TopicName",
    "RoleName",
    "FunctionName",
    "LogGroupName",
    "Name",
    "TableName",
    "RepositoryName",
    "ManagedPolicyName",
)
IDENTITY_TYPES = {"AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"}


class UnresolvedError(Exception):
    """An intrinsic this linter cannot turn into a string; the message says which and where."""


@dataclass(frozen=True)
class Finding:
    template: str
    resource: str
    issue: str
    sid: str
    detail: str


class Resolver:
    """Resolves the intrinsics of one template to example strings."""

    def __init__(self, template: dict[str, Any]) -> None:
        self.resources: dict[str, Any] = template.get("Resources", {})
        self.parameters = {
            name: str(spec.get("Default", f"example-{name}")) for name, spec in template.get("Parameters", {}).items()
        }

    def name_of(self, logical_id: str) -> str:
        properties = self.resources[logical_id].get("Properties", {})
        for key in NAME_PROPERTIES:
            value = properties.get(key)
            if value is not None:
                return str(self.resolve(value, f"{logical_id}.{key}"))
        return logical_id.lower()

    def arn_of(self, logical_id: str, where: str) -> str:
        resource_type = self.resources.get(logical_id, {}).get("Type")
        pattern = ARNS.get(resource_type or "")
        if pattern is None:
            raise UnresolvedError(f"{where}: no ARN known for {logical_id} of type {resource_type}")
        return pattern.format(name=self.name_of(logical_id))

    def ref(self, name: str, where: str) -> str:
        if name in PSEUDO:
            return PSEUDO[name]
        if name in self.parameters:
            return self.parameters[name]
        if name in self.resources:
            if self.resources[name].get("Type") in REF_IS_ARN:
                return self.arn_of(name, where)
            return self.name_of(name)
        raise UnresolvedError(f"{where}: Ref to unknown {name}")

    def sub(self, text: str, variables: dict[str, Any], where: str) -> str:
        def replace(match: re.Match[str]) -> str:
            name = match.group(1)
            if name in variables:
                return str(self.resolve(variables[name], where))
            if name.endswith(".Arn"):
                return self.arn_of(name[: -len(".Arn")], where)
            return self.ref(name, where)

        return re.sub(r"\$\{([^}!]+)\}", replace, text)

    def resolve(self, value: Any, where: str) -> Any:
        if isinstance(value, list):
            return [self.resolve(item, where) for item in value]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            ((key, argument),) = value.items()
            if key == "Ref":
                return self.ref(argument, where)
            if key == "Fn::GetAtt":
                logical_id, attribute = argument if isinstance(argument, list) else argument.split(".", 1)
                if attribute != "Arn":
                    raise UnresolvedError(f"{where}: Fn::GetAtt {logical_id}.{attribute}")
                return self.arn_of(logical_id, where)
            if key == "Fn::Join":
                separator, parts = argument
                return separator.join(str(self.resolve(part, where)) for part in parts)
            if key == "Fn::Sub":
                text, variables = (argument, {}) if isinstance(argument, str) else argument
                return self.sub(text, variables, where)
            if key == "Fn::If":
                # Lint the branch the default parameters choose in the bootstrap (its "true" branch), and any
                # conditional statement as if present.
                return self.resolve(argument[1], where)
            if key == "Fn::ImportValue":
                export = str(self.resolve(argument, where))
                return f"arn:aws:s3:::imported-{export.lower()}" if "Bucket" in export else export
            if key.startswith("Fn::"):
                raise UnresolvedError(f"{where}: {key} is not resolved by the linter")
        return {key: self.resolve(item, where) for key, item in value.items()}


def policy_documents(template: dict[str, Any]) -> list[tuple[str, Any]]:
    """Every identity policy of the template: (where, document with intrinsics)."""
    documents: list[tuple[str, Any]] = []
    for logical_id, resource in template.get("Resources", {}).items():
        properties = resource.get("Properties", {})
        if resource.get("Type") in IDENTITY_TYPES:
            documents.append((logical_id, properties["PolicyDocument"]))
        if resource.get("Type") == "AWS::IAM::Role":
            for policy in properties.get("Policies", []) or []:
                documents.append((logical_id, policy["PolicyDocument"]))
    return documents


def without_no_value(value: Any) -> Any:
    """Drops what Fn::If resolved to AWS::NoValue, as CloudFormation does."""
    if isinstance(value, list):
        return [without_no_value(item) for item in value if item != "AWS::NoValue"]
    if isinstance(value, dict):
        return {key: without_no_value(item) for key, item in value.items() if item != "AWS::NoValue"}
    return value


def statement_sid(document: Any, finding_location: dict[str, Any]) -> str:
    """The Sid of the statement a finding points at, when parliament says which (by its position)."""
    statements = document.get("Statement", [])
    statements = statements if isinstance(statements, list) else [statements]
    text = json.dumps(document)
    column = finding_location.get("column")
    if not isinstance(column, int):
        return ""
    # parliament reports a column of the compact JSON it was given; the last statement starting before it wins.
    sid = ""
    for statement in statements:
        start = text.find(json.dumps(statement))
        if 0 <= start <= column:
            sid = str(statement.get("Sid", ""))
    return sid


def lint_template(path: Path, label: str) -> list[Finding]:
    template = json.loads(path.read_text())
    resolver = Resolver(template)
    findings: list[Finding] = []
    for logical_id, raw in policy_documents(template):
        document = without_no_value(resolver.resolve(raw, f"{label} {logical_id}"))
        policy = analyze_policy_string(json.dumps(document), ignore_private_auditors=True)
        for finding in policy.findings:
            location = finding.location if isinstance(finding.location, dict) else {}
            findings.append(
                Finding(label, logical_id, finding.issue, statement_sid(document, location), str(finding.detail)[:300])
            )
    return findings


def template_label(path: Path, synth: Path) -> str:
    """A stable name for a synthesized template: the config's name and the file's, without hashes."""
    if path == BOOTSTRAP_TEMPLATE:
        return "bootstrap/stage-bootstrap"
    config = path.relative_to(synth).parts[0]
    stem = re.sub(r"[0-9A-F]{8}$", "", path.name.removesuffix(".template.json"))
    return f"{config}/{stem}"


def matches(ack: dict[str, str], finding: Finding) -> bool:
    keys = ("template", "resource", "issue", "sid", "detail")
    # detail is matched anywhere in the text (it is long); the other keys as a whole.
    return all(
        (re.search if key == "detail" else re.fullmatch)(ack[key], getattr(finding, key)) is not None
        for key in keys
        if key in ack
    )


def main(argv: list[str]) -> int:
    synth = Path(argv[1]) if len(argv) > 1 else ROOT / ".build" / "synth"
    acknowledgements_file = Path(argv[2]) if len(argv) > 2 else ACKNOWLEDGEMENTS
    templates = sorted(synth.rglob("*.template.json"))
    if not templates:
        print(f"policy lint: no templates under {synth}; synthesize first (scripts/synth-and-lint.sh)")
        return 1
    acknowledgements: list[dict[str, str]] = json.loads(acknowledgements_file.read_text())
    for ack in acknowledgements:
        if not ack.get("reason", "").strip():
            print(f"policy lint: acknowledgement without a reason: {ack}")
            return 1
    findings: list[Finding] = []
    documents = 0
    try:
        for path in [BOOTSTRAP_TEMPLATE, *templates]:
            documents += len(policy_documents(json.loads(path.read_text())))
            findings += lint_template(path, template_label(path, synth))
    except UnresolvedError as error:
        print(f"policy lint: cannot read a policy: {error}")
        return 1
    open_findings = [f for f in findings if not any(matches(a, f) for a in acknowledgements)]
    unused = [a for a in acknowledgements if not any(matches(a, f) for f in findings)]
    acknowledged = len(findings) - len(open_findings)
    print(
        f"policy lint (parliament): {documents} policies in {len(templates) + 1} templates, "
        f"{len(open_findings)} findings, {acknowledged} acknowledged"
    )
    for f in open_findings:
        print(f"  {f.template} {f.resource} {f.sid or '-'}: {f.issue}: {f.detail}")
    for a in unused:
        print(f"  acknowledgement matches no finding (remove it): {a}")
    return 1 if open_findings or unused else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
