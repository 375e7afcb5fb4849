"""Planning one file, in Python and before Spark touches it: is it still current, is it text, what are its columns.

Everything here is cheap (one HEAD and one bounded read), so a manifest's plans are all made first, in manifest
order; that fixes each file's column types against the table deterministically before any file is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from file_processor.column_names import normalize_column_names
from file_processor.column_types import infer_column_type
from file_processor.csv_sample import DEFAULT_SAMPLE_BYTES, CsvSample, UnreadableFileError, parse_csv_sample
from file_processor.manifest import ManifestObject
from file_processor.object_store import ObjectNotFoundError, ObjectStore
from file_processor.output_layout import source_id
from file_processor.table_schema import RESERVED_COLUMN_NAMES, Column, TypeConflict, reconcile_with_table

READ = "read"
"""Spark reads it."""
EMPTY = "empty"
"""Nothing to read: no header, or a header and no rows."""
UNREADABLE = "unreadable"
"""Quarantined whole."""
SKIP = "skip"
"""Gone, or replaced by a newer version."""
FAIL = "fail"
"""Planning itself failed (storage error): recorded as failed, the other files go on."""


@dataclass(frozen=True)
class PlannerSettings:
    sample_bytes: int = DEFAULT_SAMPLE_BYTES
    split_threshold_bytes: int | None = None
    """Files larger than this whose sample has no quoted newline are read line by line, split across cores.

    Off by default: a quoted newline that first appears after the sample is then cut into two records, and the
    first may parse as a good row with a truncated value. Turn it on only for data known to have one line per
    record. Multi-line reading is one task per file (files run side by side, up to `max_concurrent_files`).
    """


@dataclass(frozen=True)
class FilePlan:
    obj: ManifestObject
    uri: str
    """Where Spark and the object store read the file: `s3://...` in Glue, a local path locally."""
    source_id: str
    action: str
    reason: str | None = None
    size: int = 0
    header: tuple[str, ...] = ()
    inferred: tuple[Column, ...] = ()
    columns: tuple[Column, ...] = ()
    """The types rows are validated against and written as (inferred, reconciled with the table)."""
    conflicts: tuple[TypeConflict, ...] = field(default_factory=tuple)
    multi_line: bool = True

    @property
    def ingest_date(self) -> date:
        return self.obj.ingest_date


def plan_file(
    obj: ManifestObject,
    uri: str,
    store: ObjectStore,
    table_columns: Sequence[Column] | None,
    settings: PlannerSettings = PlannerSettings(),
) -> FilePlan:
    """Never raises for a problem with the file itself: the plan says what to do and why."""
    base = FilePlan(obj=obj, uri=uri, source_id=source_id(obj), action=READ)
    try:
        info = store.info(uri)
    except ObjectNotFoundError:
        return replace(base, action=SKIP, reason="the object no longer exists (deleted after the upload event)")
    if not _is_same_version(obj, info.version_id, info.e_tag):
        return replace(
            base,
            action=SKIP,
            reason="a newer version of the object replaced this one; that version's own event processes it",
        )
    if info.size == 0:
        return replace(base, action=EMPTY, reason="the file is empty")
    try:
        sample = parse_csv_sample(store.read_bytes(uri, settings.sample_bytes), info.size)
    except UnreadableFileError as error:
        return replace(base, action=UNREADABLE, reason=str(error), size=info.size)
    if sample.is_empty:
        return replace(base, action=EMPTY, reason="the file has no header row", size=info.size)

    header = sample.header
    names = normalize_column_names(header, reserved=RESERVED_COLUMN_NAMES)
    inferred = _infer_columns(sample, names)
    action = EMPTY if sample.covers_whole_file and not sample.rows else READ
    # With no rows there are no types to reconcile: the header's columns are reported as found.
    columns, conflicts = reconcile_with_table(inferred, table_columns) if action == READ else (inferred, [])
    return replace(
        base,
        action=action,
        reason="the file has a header and no rows" if action == EMPTY else None,
        size=info.size,
        header=header,
        inferred=tuple(inferred),
        columns=tuple(columns),
        conflicts=tuple(conflicts),
        multi_line=(
            settings.split_threshold_bytes is None
            or sample.has_quoted_newline
            or info.size <= settings.split_threshold_bytes
        ),
    )


def failed_plan(obj: ManifestObject, uri: str, reason: str) -> FilePlan:
    return FilePlan(obj=obj, uri=uri, source_id=source_id(obj), action=FAIL, reason=reason)


def _infer_columns(sample: CsvSample, names: Sequence[str]) -> list[Column]:
    """Rows with the wrong number of fields are left out: they are quarantined as malformed, whatever they hold."""
    complete = [row for row in sample.rows if len(row) == len(names)]
    return [Column(name, infer_column_type(row[index] for row in complete)) for index, name in enumerate(names)]


def still_current(obj: ManifestObject, uri: str, store: ObjectStore) -> bool:
    """True while the object at `uri` is the version the manifest names (a newer version or a delete ends it)."""
    try:
        info = store.info(uri)
    except ObjectNotFoundError:
        return False
    return _is_same_version(obj, info.version_id, info.e_tag)


def _is_same_version(obj: ManifestObject, version_id: str | None, e_tag: str | None) -> bool:
    if obj.version_id is not None and version_id is not None:
        return obj.version_id == version_id
    return e_tag is None or obj.e_tag.strip('"') == e_tag
