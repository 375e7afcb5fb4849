"""Planning one file, in Python and before Spark touches it: is it still the notified version, is it text, what are
its columns.

Inspecting a file is cheap (one HEAD and one bounded read) and independent of the others, so a manifest's files are
inspected side by side; their column types are then fixed against the table in manifest order, deterministically,
before Spark reads anything.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum

from file_processor.column_names import normalize_column_names
from file_processor.column_types import infer_column_type
from file_processor.csv_sample import DEFAULT_SAMPLE_BYTES, CsvSample, UnreadableFileError, parse_csv_sample
from file_processor.dataset_settings import DatasetSettings, NewVersionPolicy
from file_processor.manifest import ManifestObject
from file_processor.object_store import ObjectNotFoundError, ObjectStore
from file_processor.table_schema import RESERVED_COLUMN_NAMES, Column, TypeConflict, reconcile_with_table


class PlanAction(StrEnum):
    READ = "read"
    """Spark reads it."""
    EMPTY = "empty"
    """Nothing to read: no header, or a header and no rows."""
    UNREADABLE = "unreadable"
    """Quarantined whole."""
    SKIP = "skip"
    """A newer version replaced it, and that version's own event processes it (replace policy)."""
    FAIL = "fail"
    """The notified version cannot be read (gone, or a storage error): recorded as failed, the others go on."""


VERSION_GONE = "the notified version of the object is gone (deleted after the upload event); nothing was read"
SUPERSEDED = "a newer version of the object replaced this one; that version's own event processes it"
SUPERSEDED_APPEND = (
    "a newer version of the object replaced this one before it was read, and the dataset keeps every version "
    "(newVersion: append); Spark reads only the current version, so this one's rows cannot be read"
)


@dataclass(frozen=True)
class PlannerSettings:
    sample_bytes: int = DEFAULT_SAMPLE_BYTES
    split_threshold_bytes: int | None = 64 * 1024 * 1024
    """Files larger than this whose sample holds no quoted newline are read line by line, split across cores.

    A file whose sample holds a quoted newline is read multi-line (one task per file). A larger file whose sample
    holds none is read by line and its malformed rows checked after the read (batch_read.shows_cut_record; a file
    of one column is scanned as text first), so a quoted newline that first appears after the sample still sends
    the file to the multi-line reader before anything is committed and no record is cut into a truncated row. None
    reads every file multi-line.
    """
    max_parallel_inspections: int = 16


@dataclass(frozen=True)
class FilePlan:
    obj: ManifestObject
    uri: str
    """Where Spark and the object store read the file: `s3://...` in Glue, a local path locally."""
    action: PlanAction
    reason: str | None = None
    size: int = 0
    header: tuple[str, ...] = ()
    inferred: tuple[Column, ...] = ()
    """Inferred from the sample, declared types applied."""
    columns: tuple[Column, ...] = ()
    """The types rows are validated against and written as (inferred, reconciled with the table)."""
    conflicts: tuple[TypeConflict, ...] = field(default_factory=tuple)
    multi_line: bool = True


def inspect_file(
    obj: ManifestObject,
    uri: str,
    store: ObjectStore,
    dataset: DatasetSettings | None = None,
    settings: PlannerSettings | None = None,
) -> FilePlan:
    """The file on its own (version, text, header, inferred types); never raises for a problem with the file."""
    dataset = dataset or DatasetSettings()
    settings = settings or PlannerSettings()
    base = FilePlan(obj=obj, uri=uri, action=PlanAction.READ)
    try:
        info = store.info(uri)
    except ObjectNotFoundError:
        return replace(base, action=PlanAction.FAIL, reason=VERSION_GONE)
    if not _is_same_version(obj, info.version_id, info.e_tag):
        if dataset.new_version == NewVersionPolicy.APPEND:
            return replace(base, action=PlanAction.FAIL, reason=SUPERSEDED_APPEND)
        return replace(base, action=PlanAction.SKIP, reason=SUPERSEDED)
    if info.size == 0:
        return replace(base, action=PlanAction.EMPTY, reason="the file is empty")
    try:
        sample = parse_csv_sample(store.read_bytes(uri, settings.sample_bytes), info.size)
    except UnreadableFileError as error:
        return replace(base, action=PlanAction.UNREADABLE, reason=str(error), size=info.size)
    if sample.is_empty:
        return replace(base, action=PlanAction.EMPTY, reason="the file has no header row", size=info.size)

    header = sample.header
    names = normalize_column_names(header, reserved=RESERVED_COLUMN_NAMES)
    inferred = [Column(column.name, dataset.columns.get(column.name, column.type)) for column in _infer(sample, names)]
    empty = sample.covers_whole_file and not sample.rows
    return replace(
        base,
        action=PlanAction.EMPTY if empty else PlanAction.READ,
        reason="the file has a header and no rows" if empty else None,
        size=info.size,
        header=header,
        inferred=tuple(inferred),
        columns=tuple(inferred),
        multi_line=(
            settings.split_threshold_bytes is None
            or sample.has_quoted_newline
            or info.size <= settings.split_threshold_bytes
        ),
    )


def reconcile(plan: FilePlan, table_columns: Sequence[Column] | None) -> FilePlan:
    """The plan's column types against the table as the files before it leave it (table_schema's rules)."""
    if plan.action != PlanAction.READ:
        return plan
    columns, conflicts = reconcile_with_table(plan.inferred, table_columns)
    return replace(plan, columns=tuple(columns), conflicts=tuple(conflicts))


def failed_plan(obj: ManifestObject, uri: str, reason: str) -> FilePlan:
    return FilePlan(obj=obj, uri=uri, action=PlanAction.FAIL, reason=reason)


def _infer(sample: CsvSample, names: Sequence[str]) -> list[Column]:
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
