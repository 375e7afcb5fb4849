"""The manifest the trigger hands a run: the Python twin of `shared-constructs/src/contracts/manifest.ts`.

The zod schema on the TypeScript side is the authority; this parser accepts exactly what it accepts (strict objects,
the same patterns) so a manifest the trigger writes is never refused here and a hand-written one that the trigger
could not have produced fails fast with an error naming the field. The shared fixture
`shared-constructs/fixtures/manifest.json` is parsed by this module's tests.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

MANIFEST_VERSION = 1

_DATASET_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")
_MANIFEST_ID_PATTERN = re.compile(r"[A-Za-z0-9_.-]+")
_TABLE_PATTERN = re.compile(r"[a-z0-9_]+")
# zod's `z.iso.datetime({ offset: true })`: date, `T`, time with optional seconds and fraction, then `Z` or an offset.
_ISO_TIMESTAMP_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})")

_MANIFEST_FIELDS = ("version", "manifestId", "dataset", "table", "createdAt", "objects")
_OBJECT_FIELDS = ("bucket", "key", "versionId", "eTag", "size", "eventTime")


class ManifestError(ValueError):
    """A manifest that the trigger could not have written; the message names every offending field."""


@dataclass(frozen=True)
class ManifestObject:
    """One uploaded CSV as S3 reported it."""

    bucket: str
    key: str
    version_id: str | None
    e_tag: str
    size: int
    event_time: datetime

    @property
    def s3_uri(self) -> str:
        return f"s3://{self.bucket}/{self.key}"


@dataclass(frozen=True)
class Manifest:
    """What one Glue run processes: the objects of one dataset, in the order the trigger saw them."""

    version: int
    manifest_id: str
    dataset: str
    table: str
    created_at: datetime
    objects: tuple[ManifestObject, ...]


def dataset_table_name(dataset: str) -> str:
    """Mirror of `datasetTableName` in manifest.ts; never contains `__` (see `layout.quarantine_table`)."""
    name = re.sub(r"[^a-z0-9]+", "_", dataset.lower()).strip("_")
    return name or "dataset"


def parse_manifest_json(text: str | bytes) -> Manifest:
    """Parses the manifest file's content; JSON errors become ManifestError too, so callers catch one type."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise ManifestError(f"manifest is not valid JSON: {error}") from error
    return parse_manifest(document)


def parse_manifest(document: Any) -> Manifest:
    """Validates every field and reports all problems at once, each as `path: what is wrong (expected ...)`."""
    problems: list[str] = []
    if not isinstance(document, Mapping):
        raise ManifestError(f"manifest: expected a JSON object, got {_type_name(document)}")
    _check_keys(document, _MANIFEST_FIELDS, "manifest", problems)

    version = document.get("version")
    if version != MANIFEST_VERSION or isinstance(version, bool):
        problems.append(f"version: expected {MANIFEST_VERSION}, got {version!r}")
    manifest_id = _string(document, "manifestId", "manifestId", problems, _MANIFEST_ID_PATTERN)
    dataset = _string(document, "dataset", "dataset", problems, _DATASET_PATTERN)
    table = _string(document, "table", "table", problems, _TABLE_PATTERN)
    expected_table = None if dataset is None else dataset_table_name(dataset)
    if table is not None and expected_table is not None and table != expected_table:
        problems.append(f"table: expected {expected_table!r} (derived from dataset {dataset!r}), got {table!r}")
    created_at = _timestamp(document, "createdAt", "createdAt", problems)

    objects: list[ManifestObject] = []
    raw_objects = document.get("objects")
    if not isinstance(raw_objects, list):
        problems.append(f"objects: expected a non-empty array, got {_type_name(raw_objects)}")
    elif not raw_objects:
        problems.append("objects: expected at least one object, got an empty array")
    else:
        for index, raw in enumerate(raw_objects):
            parsed = _parse_object(raw, f"objects[{index}]", problems)
            if parsed is not None:
                objects.append(parsed)

    if problems:
        raise ManifestError("invalid manifest:\n  " + "\n  ".join(problems))
    assert manifest_id is not None and dataset is not None and table is not None and created_at is not None
    return Manifest(
        version=MANIFEST_VERSION,
        manifest_id=manifest_id,
        dataset=dataset,
        table=table,
        created_at=created_at,
        objects=tuple(objects),
    )


def _parse_object(raw: Any, path: str, problems: list[str]) -> ManifestObject | None:
    if not isinstance(raw, Mapping):
        problems.append(f"{path}: expected an object, got {_type_name(raw)}")
        return None
    before = len(problems)
    _check_keys(raw, _OBJECT_FIELDS, path, problems)
    bucket = _string(raw, "bucket", f"{path}.bucket", problems, min_length=3)
    key = _string(raw, "key", f"{path}.key", problems)
    version_id: str | None = None
    if "versionId" not in raw:
        problems.append(f"{path}.versionId: required (a string, or null when the bucket is not versioned)")
    elif raw["versionId"] is not None:
        version_id = _string(raw, "versionId", f"{path}.versionId", problems)
    e_tag = _string(raw, "eTag", f"{path}.eTag", problems)
    size = raw.get("size")
    if not isinstance(size, int) or isinstance(size, bool) or size < 0:
        problems.append(f"{path}.size: expected a non-negative integer, got {size!r}")
    event_time = _timestamp(raw, "eventTime", f"{path}.eventTime", problems)
    if len(problems) > before:
        return None
    assert bucket is not None and key is not None and e_tag is not None and event_time is not None
    assert isinstance(size, int)
    return ManifestObject(bucket, key, version_id, e_tag, size, event_time)


def _check_keys(raw: Mapping[str, Any], allowed: tuple[str, ...], path: str, problems: list[str]) -> None:
    unknown = sorted(set(raw) - set(allowed))
    if unknown:
        problems.append(f"{path}: unknown field(s) {', '.join(unknown)} (expected only {', '.join(allowed)})")


def _string(
    raw: Mapping[str, Any],
    field: str,
    path: str,
    problems: list[str],
    pattern: re.Pattern[str] | None = None,
    min_length: int = 1,
) -> str | None:
    value = raw.get(field)
    if not isinstance(value, str):
        problems.append(f"{path}: expected a string, got {_type_name(value)}")
        return None
    if len(value) < min_length:
        problems.append(f"{path}: expected at least {min_length} character(s), got {value!r}")
        return None
    if pattern is not None and not pattern.fullmatch(value):
        problems.append(f"{path}: {value!r} does not match {pattern.pattern}")
        return None
    return value


def _timestamp(raw: Mapping[str, Any], field: str, path: str, problems: list[str]) -> datetime | None:
    value = raw.get(field)
    if not isinstance(value, str) or not _ISO_TIMESTAMP_PATTERN.fullmatch(value):
        problems.append(f"{path}: expected an ISO-8601 timestamp with Z or an offset, got {value!r}")
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        problems.append(f"{path}: {value!r} is not a real date and time")
        return None


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    return {bool: "a boolean", int: "a number", float: "a number", str: "a string", list: "an array"}.get(
        type(value), "an object" if isinstance(value, Mapping) else type(value).__name__
    )
