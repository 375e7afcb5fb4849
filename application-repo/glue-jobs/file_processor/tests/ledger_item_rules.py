"""The ledger item contract's rules (`shared-constructs/src/contracts/ledger-item.ts`) as the job's tests check them:
the shared fixture's keys and types, and the cross-field rules of the zod schema, each problem named."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from boto3.dynamodb.types import TypeDeserializer

FIXTURE = Path("shared-constructs/fixtures/ledger-items.json")
TERMINAL = ("succeeded", "quarantined", "failed", "skipped")
_INSTANT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z")
_SNAPSHOT = re.compile(r"0|[1-9]\d{0,18}")
_COUNTS = ("size", "attempts", "expiresAt", "rowsRead", "rowsWritten", "rowsQuarantined")


def load_fixture(repository_root: Path) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = json.loads((repository_root / FIXTURE).read_text(encoding="utf-8"))
    return items


def unmarshal(item: dict[str, Any]) -> dict[str, Any]:
    """A DynamoDB item as the contract describes it: whole numbers as int, not Decimal."""
    plain = {name: TypeDeserializer().deserialize(value) for name, value in item.items()}
    return {name: int(value) if isinstance(value, Decimal) else value for name, value in plain.items()}


def _type_name(value: Any) -> str:
    return "null" if value is None else type(value).__name__


def fixture_types(fixture: list[dict[str, Any]]) -> dict[str, set[str]]:
    """Per attribute, the JSON types the fixture's items give it (a nullable one has `null` beside its type)."""
    types: dict[str, set[str]] = {}
    for item in fixture:
        for name, value in item.items():
            types.setdefault(name, set()).add(_type_name(value))
    return types


def problems(item: dict[str, Any], fixture: list[dict[str, Any]]) -> list[str]:
    """Every way `item` breaks the contract, as `attribute: what is wrong`; empty for a valid item."""
    found: list[str] = []
    types = fixture_types(fixture)
    missing, unknown = sorted(set(types) - set(item)), sorted(set(item) - set(types))
    found += [f"{name}: missing" for name in missing] + [f"{name}: not in the contract" for name in unknown]
    for name, value in item.items():
        if name in types and _type_name(value) not in types[name]:
            found.append(f"{name}: got {_type_name(value)}; the fixture has {sorted(types[name])}")
    if found:
        return found

    status = item["status"]
    if status not in {entry["status"] for entry in fixture}:
        found.append(f"status: got {status!r}")
    if item["itemVersion"] != 1:
        found.append("itemVersion: expected 1")
    if item["objectKey"] != f"{item['bucket']}/{item['key']}":
        found.append("objectKey: expected bucket/key")
    if item["version"] != (item["versionId"] or f"etag:{item['eTag'].replace(chr(34), '')}"):
        found.append("version: expected the version id, or etag:<etag>")
    for name in ("eventTime", "receivedAt", "updatedAt"):
        if not _INSTANT.fullmatch(item[name]):
            found.append(f"{name}: expected an ISO-8601 UTC instant ending in Z, got {item[name]!r}")
    for name in _COUNTS:
        if item[name] is not None and item[name] < 0:
            found.append(f"{name}: expected a whole number >= 0")
    for name in ("version", "bucket", "key", "eTag", "reason", "manifestId", "jobName", "jobRunId", "reportUri"):
        if item[name] == "":
            found.append(f"{name}: expected a non-empty string")
    if item["snapshotId"] is not None and not _SNAPSHOT.fullmatch(item["snapshotId"]):
        found.append("snapshotId: expected decimal digits")
    claimed = status != "received" and not (status == "skipped" and item["manifestId"] is None)
    if claimed and (item["manifestId"] is None or item["jobName"] is None):
        found.append(f"manifestId: expected the manifest id and job name of a {status} file")
    ran = status in TERMINAL and status != "skipped"
    if (status == "started" or ran) and item["jobRunId"] is None:
        found.append(f"jobRunId: expected the run id of a {status} file")
    rows = (item["rowsRead"], item["rowsWritten"], item["rowsQuarantined"])
    if ran and status != "failed" and None in rows:
        found.append(f"rowsRead: expected the row counts of a {status} file")
    if None not in rows and rows[0] != rows[1] + rows[2]:
        found.append("rowsRead: expected rowsWritten + rowsQuarantined")
    if status in ("quarantined", "failed", "skipped") and not item["reason"]:
        found.append(f"reason: expected why the file is {status}")
    if status == "succeeded" and item["snapshotId"] is None and (item["rowsWritten"] or 0) > 0:
        found.append("snapshotId: expected the snapshot that holds the rows written")
    return found
