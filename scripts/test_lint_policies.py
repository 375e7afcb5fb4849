"""The policy linter finds what parliament finds, honours acknowledgements only with a reason, and refuses
policies it cannot resolve (run by scripts/synth-and-lint.sh before it lints the synthesized templates)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from lint_policies import BOOTSTRAP_TEMPLATE, Resolver, lint_template, main


def template_with(statement: dict[str, Any]) -> dict[str, Any]:
    return {
        "Resources": {
            "Data": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "glue-etl-dev-data"}},
            "Role": {
                "Type": "AWS::IAM::Role",
                "Properties": {
                    "Policies": [
                        {"PolicyName": "p", "PolicyDocument": {"Version": "2012-10-17", "Statement": [statement]}}
                    ]
                },
            },
        }
    }


def write_synth(tmp_path: Path, template: dict[str, Any]) -> Path:
    synth = tmp_path / "synth"
    (synth / "example.config").mkdir(parents=True)
    (synth / "example.config" / "stack.template.json").write_text(json.dumps(template))
    return synth


def acknowledge_bootstrap(tmp_path: Path, extra: list[dict[str, str]]) -> Path:
    """The project's acknowledgements of the bootstrap template, plus `extra`."""
    project = json.loads((Path(__file__).parent / "policy-lint-acknowledgements.json").read_text())
    file = tmp_path / "acks.json"
    bootstrap = [a for a in project if re.fullmatch(a["template"], "bootstrap/stage-bootstrap")]
    file.write_text(json.dumps(bootstrap + extra))
    return file


def test_resolves_references_to_arns_of_their_resource_type() -> None:
    resolver = Resolver(template_with({}))
    arn = resolver.resolve({"Fn::Join": ["", [{"Fn::GetAtt": ["Data", "Arn"]}, "/incoming/*"]]}, "test")
    assert arn == "arn:aws:s3:::glue-etl-dev-data/incoming/*"


def test_resolves_a_dynamodb_table_v2_which_synthesizes_as_a_global_table() -> None:
    template = template_with({})
    template["Resources"]["Ledger"] = {
        "Type": "AWS::DynamoDB::GlobalTable",
        "Properties": {"TableName": "glue-etl-dev-file-ledger"},
    }
    arn = Resolver(template).resolve({"Fn::GetAtt": ["Ledger", "Arn"]}, "test")
    assert arn.endswith(":table/glue-etl-dev-file-ledger")


def test_a_read_of_every_object_in_the_account_is_a_finding(tmp_path: Path) -> None:
    path = tmp_path / "t.template.json"
    path.write_text(json.dumps(template_with({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"})))
    findings = lint_template(path, "example")
    assert [(f.resource, f.issue) for f in findings] == [("Role", "RESOURCE_STAR")]


def test_an_unacknowledged_finding_fails_and_is_printed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    synth = write_synth(tmp_path, template_with({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}))
    assert main(["lint", str(synth), str(acknowledge_bootstrap(tmp_path, []))]) == 1
    assert "example.config/stack Role -: RESOURCE_STAR" in capsys.readouterr().out


def test_an_acknowledged_finding_passes(tmp_path: Path) -> None:
    synth = write_synth(tmp_path, template_with({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}))
    ack = {"template": "example\\.config/stack", "resource": "Role", "issue": "RESOURCE_STAR", "reason": "a test"}
    assert main(["lint", str(synth), str(acknowledge_bootstrap(tmp_path, [ack]))]) == 0


def test_an_acknowledgement_without_a_reason_or_without_a_finding_fails(tmp_path: Path) -> None:
    synth = write_synth(tmp_path, template_with({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}))
    blank = {"template": ".*", "resource": "Role", "issue": "RESOURCE_STAR", "reason": " "}
    assert main(["lint", str(synth), str(acknowledge_bootstrap(tmp_path, [blank]))]) == 1
    stale = {"template": ".*", "resource": "Nothing", "issue": "RESOURCE_STAR", "reason": "stale"}
    clean = write_synth(
        tmp_path / "clean",
        template_with({"Effect": "Allow", "Action": "s3:GetObject", "Resource": {"Fn::Sub": "${Data.Arn}/*"}}),
    )
    assert main(["lint", str(clean), str(acknowledge_bootstrap(tmp_path, [stale]))]) == 1


def test_a_policy_it_cannot_resolve_fails_naming_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": {"Fn::GetAtt": ["Data", "DomainName"]}}
    synth = write_synth(tmp_path, template_with(bad))
    assert main(["lint", str(synth), str(acknowledge_bootstrap(tmp_path, []))]) == 1
    assert "cannot read a policy: example.config/stack Role: Fn::GetAtt Data.DomainName" in capsys.readouterr().out


def test_the_bootstrap_template_is_linted() -> None:
    findings = lint_template(BOOTSTRAP_TEMPLATE, "bootstrap/stage-bootstrap")
    assert {f.resource for f in findings} >= {"DeploymentActionRole", "StageExecutionPolicy"}
