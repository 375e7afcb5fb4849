"""The Python parser agrees with the TypeScript zod schema: it reads the shared fixture, refuses what zod refuses."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from file_processor.manifest import ManifestError, dataset_table_name, parse_manifest, parse_manifest_json

FIXTURE = Path("shared-constructs") / "fixtures" / "manifest.json"


@pytest.fixture
def fixture_document(repository_root: Path) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((repository_root / FIXTURE).read_text(encoding="utf-8"))
    return document


def test_the_shared_fixture_parses_with_every_field(repository_root: Path) -> None:
    manifest = parse_manifest_json((repository_root / FIXTURE).read_bytes())

    assert manifest.manifest_id == "20261123T101500Z-sales-3f9c2b7e"
    assert manifest.dataset == "Sales-EU"
    assert manifest.table == "sales_eu"
    assert manifest.created_at == datetime(2026, 11, 23, 10, 15, tzinfo=UTC)
    first, second = manifest.objects
    assert first.key == "incoming/Sales-EU/2026/11/orders 1+2.csv"
    assert first.version_id == "3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY"
    assert first.s3_uri == "s3://glue-etl-dev-input-222222222222-eu-west-1/incoming/Sales-EU/2026/11/orders 1+2.csv"
    assert second.version_id is None
    assert second.size == 2048


def test_the_fixture_table_name_is_what_dataset_table_name_derives(fixture_document: dict[str, Any]) -> None:
    assert dataset_table_name(fixture_document["dataset"]) == fixture_document["table"]


@pytest.mark.parametrize(
    ("dataset", "table"),
    [("Sales-EU", "sales_eu"), ("__Odd..Name__", "odd_name"), ("---", "dataset"), ("a1.b2", "a1_b2")],
)
def test_dataset_table_name_mirrors_the_typescript_function(dataset: str, table: str) -> None:
    assert dataset_table_name(dataset) == table


def _mutated(document: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(document)
    *parents, last = path.split(".")
    target: Any = changed
    for part in parents:
        target = target[int(part)] if part.isdigit() else target[part]
    if value is KeyError:
        del target[int(last) if last.isdigit() else last]
    else:
        target[int(last) if last.isdigit() else last] = value
    return changed


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        ("version", 2, "version: expected 1, got 2"),
        ("manifestId", "has space", "manifestId: 'has space' does not match"),
        ("dataset", "-leading-dash", "dataset: '-leading-dash' does not match"),
        ("table", "Sales_EU", "table: 'Sales_EU' does not match"),
        ("table", "sales_eu__quarantine", "table: expected 'sales_eu' (derived from dataset 'Sales-EU'), got"),
        ("createdAt", "yesterday", "createdAt: expected an ISO-8601 timestamp"),
        ("objects", [], "objects: expected at least one object"),
        ("objects.0.bucket", "ab", "objects[0].bucket: expected at least 3 character(s)"),
        ("objects.0.key", 7, "objects[0].key: expected a string, got a number"),
        ("objects.1.versionId", KeyError, "objects[1].versionId: required"),
        ("objects.0.size", -1, "objects[0].size: expected a non-negative integer, got -1"),
        ("objects.0.size", 1.5, "objects[0].size: expected a non-negative integer, got 1.5"),
        ("objects.1.eventTime", "2026-11-23T10:00:00", "objects[1].eventTime: expected an ISO-8601 timestamp"),
        ("objects.0.extra", True, "objects[0]: unknown field(s) extra"),
        ("table", KeyError, "table: expected a string, got null"),
    ],
)
def test_a_malformed_manifest_is_refused_with_the_field_named(
    fixture_document: dict[str, Any], path: str, value: Any, message: str
) -> None:
    with pytest.raises(ManifestError) as raised:
        parse_manifest(_mutated(fixture_document, path, value))

    assert message in str(raised.value)


def test_every_problem_is_reported_at_once(fixture_document: dict[str, Any]) -> None:
    broken = _mutated(_mutated(fixture_document, "version", 3), "objects.1.eTag", "")

    with pytest.raises(ManifestError) as raised:
        parse_manifest(broken)

    assert "version: expected 1" in str(raised.value)
    assert "objects[1].eTag: expected at least 1 character(s)" in str(raised.value)


def test_text_that_is_not_json_is_a_manifest_error() -> None:
    with pytest.raises(ManifestError, match="not valid JSON"):
        parse_manifest_json(b"{not json")


def test_a_json_array_is_not_a_manifest() -> None:
    with pytest.raises(ManifestError, match="expected a JSON object, got an array"):
        parse_manifest_json("[]")
