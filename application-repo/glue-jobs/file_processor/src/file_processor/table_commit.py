"""A run's change to one table, published in one step: stage on a branch, then move `main` to it.

Replacing an object's rows takes two Iceberg operations (delete the rows an object version replaces, append its
new rows), and readers must never see one without the other. So a run works on its own branch, created from `main`:
it deletes there, appends there, and then fast-forwards `main` to the branch. `main` jumps from the previous
snapshot to the finished one; Athena and every reader of `main` see the run's rows all at once or not at all, and a
run that fails before the jump leaves `main` where it was.

Runs of one table at once: fast-forward succeeds only if `main` is still the snapshot the branch started from.
If another run moved it, the branch is dropped and the change is staged again on the new `main`, so the later run's
delete also removes rows the earlier run just published for the same object version: exactly one copy remains.
Before publishing, every object is checked to still be the notified version (before staging, or after the append
when the caller's check_staged does it); one that a newer version replaced is left out (its rows are not written
and its key's rows are not touched), so an out-of-date run never deletes the newer version's rows.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TypeVar

from pyspark.sql import Column, DataFrame, SparkSession
from pyspark.sql import functions as F

from file_processor.dataset_settings import NewVersionPolicy
from file_processor.table_schema import PROCESSED_AT, PROCESSING_JOB, SOURCE_KEY, SOURCE_VERSION
from file_processor.tables import TableName, string_literal

LOG = logging.getLogger("file_processor")
DEFAULT_MAX_ATTEMPTS = 5
_NOT_AN_ANCESTOR = "is not an ancestor"
# What Iceberg raises when another writer committed the table's metadata between our read and our commit.
_COMMIT_FAILED = "CommitFailedException"
# Branch creation and removal touch only refs: redone on fresh metadata, they mean the same.
_REF_COMMIT_ATTEMPTS = 5
MAIN = "main"


class CommitStatus(StrEnum):
    COMMITTED = "committed"
    UNCHANGED = "unchanged"
    """Nothing to delete or add (no quarantined rows, no table yet)."""
    FAILED = "failed"


@dataclass(frozen=True)
class SourceObject:
    """One object version a run writes or replaces rows of."""

    key: str
    version: str


StillCurrent = Callable[[SourceObject], bool]
CheckStaged = Callable[[Sequence[SourceObject]], set[SourceObject]]


@dataclass(frozen=True)
class TableChange:
    """What a run asks of one table: remove the rows these objects replace, then add `rows` (theirs)."""

    table: TableName
    role: str
    """"data" or "quarantine"."""
    rows: DataFrame | None
    """None: no rows to add (the objects' rows are only removed, e.g. an empty new version)."""
    objects: Sequence[SourceObject]
    exists: bool
    """False: there is no table yet (and so nothing to delete); with no rows to add either, nothing is done."""
    left_out: frozenset[SourceObject] = frozenset()
    """Objects already found replaced (by the run's other table): their rows in `rows` are not written, and their
    keys' rows are not touched."""
    check_staged: CheckStaged | None = None
    """Called with the objects staged, after their rows were appended to the branch and before `main` moves: the job
    checks there that each object is still the version it read (and, when the append was the run's read, what the
    read showed). Returns the objects found replaced by a newer version (left out, and the change staged again
    without them); raises to abandon the change. Without it, the objects are checked before staging."""


@dataclass(frozen=True)
class CommitOutcome:
    table: str
    role: str
    status: CommitStatus
    snapshot_id: int | None = None
    attempts: int = 0
    rows_added: int = 0
    rows_removed: int = 0
    error: str | None = None
    left_out: frozenset[SourceObject] = field(default_factory=frozenset)
    """Objects found replaced by a newer version while staging: nothing of theirs was deleted or added."""


class PublishConflict(RuntimeError):
    """`main` moved while the branch was staged (another run committed)."""


T = TypeVar("T")
_PARALLEL_CHECKS = 16


def replaced(items: Sequence[T], is_replaced: Callable[[T], bool]) -> set[T]:
    """The items found replaced, checked side by side: each check is a HEAD request, a run may hold thousands."""
    if not items:
        return set()
    with ThreadPoolExecutor(max_workers=min(_PARALLEL_CHECKS, len(items)), thread_name_prefix="version") as pool:
        return {item for item, found in zip(items, pool.map(is_replaced, items), strict=True) if found}


def commit_change(
    spark: SparkSession,
    change: TableChange,
    branch: str,
    policy: NewVersionPolicy,
    still_current: StillCurrent,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
) -> CommitOutcome:
    """Stages and publishes the change; retries when another run moved `main`. Raises what else goes wrong, after
    dropping the branch: `main` is then untouched."""
    if not change.exists and change.rows is None:
        return CommitOutcome(change.table.table, change.role, CommitStatus.UNCHANGED)
    refs = TableRefs(spark, change.table)
    left_out: set[SourceObject] = set(change.left_out)
    for attempt in range(1, max_attempts + 1):
        refs.refresh()
        refs.drop_branch(branch)
        refs.create_branch(branch)
        base = refs.head(MAIN)
        try:
            if change.check_staged is None:
                # With check_staged the objects are checked after the append instead, which also covers the time
                # before it: an object once replaced stays replaced.
                left_out |= replaced(
                    [obj for obj in change.objects if obj not in left_out], lambda obj: not still_current(obj)
                )
            objects = [obj for obj in change.objects if obj not in left_out]
            removed = _delete_replaced(spark, change, refs, branch, objects, policy)
            added = _append(change, refs, branch, objects, left_out)
            if change.check_staged is not None and objects:
                found = change.check_staged(objects)
                if found:
                    LOG.info(
                        "table %s: %d objects replaced while staged; staging again without them",
                        change.table,
                        len(found),
                    )
                    left_out |= found
                    continue
            snapshot_id = _publish(refs, branch, base)
        except PublishConflict:
            LOG.info("table %s: another run committed first (attempt %d); staging again", change.table, attempt)
            continue
        finally:
            refs.drop_branch(branch)
        return CommitOutcome(
            change.table.table,
            change.role,
            CommitStatus.COMMITTED,
            snapshot_id=snapshot_id,
            attempts=attempt,
            rows_added=added,
            rows_removed=removed,
            left_out=frozenset(left_out),
        )
    raise PublishConflict(
        f"table {change.table}: other runs committed first {max_attempts} times in a row; the run's rows are not "
        "published and running the same manifest again is safe"
    )


def replaced_rows(objects: Sequence[SourceObject], policy: NewVersionPolicy) -> str:
    """The SQL condition for the rows these objects replace: every row of the key (replace) or only the same
    version's (append: a repeated run of one version)."""
    keys = ", ".join(string_literal(key) for key in sorted({obj.key for obj in objects}))
    if policy == NewVersionPolicy.REPLACE:
        return f"`{SOURCE_KEY}` IN ({keys})"
    pairs = ", ".join(
        f"named_struct('k', {string_literal(obj.key)}, 'v', {string_literal(obj.version)})"
        for obj in sorted(set(objects), key=str)
    )
    return f"`{SOURCE_KEY}` IN ({keys}) AND named_struct('k', `{SOURCE_KEY}`, 'v', `{SOURCE_VERSION}`) IN ({pairs})"


def committed_counts(
    spark: SparkSession, table: TableName, snapshot_id: int, processing_job: str, processed_at: datetime
) -> dict[str, int]:
    """Rows per object version that the run's snapshot holds: what was committed, not what was meant to be.

    Every row of a run carries its one `processed_at` instant, so Iceberg's per-file bounds of that column name the
    run's data files without reading the rest of the table. A file whose bounds show one value of the run's
    instant, job, key and version (exact: the table keeps whole bounds for those columns, see
    tables.TABLE_PROPERTIES; a cut bound never equals its other end) holds rows of that object version only, and
    its record count is its number of rows: no delete in the snapshot can touch it, since a run deletes before it
    appends. Only when some file of the run holds several object versions (a burst of small files) are the run's
    rows read and counted.
    """
    from_bounds = counts_from_file_bounds(spark, table, snapshot_id, processing_job, processed_at)
    if from_bounds is not None:
        return from_bounds
    rows = (
        spark.sql(f"SELECT * FROM {table.identifier} VERSION AS OF {int(snapshot_id)}")
        .where(
            (F.col(PROCESSED_AT) == F.lit(processed_at).cast("timestamp")) & (F.col(PROCESSING_JOB) == processing_job)
        )
        .groupBy(SOURCE_KEY, SOURCE_VERSION)
        .count()
        .collect()
    )
    return {_version_key(row[SOURCE_KEY], row[SOURCE_VERSION]): int(row["count"]) for row in rows}


def counts_from_file_bounds(
    spark: SparkSession, table: TableName, snapshot_id: int, processing_job: str, processed_at: datetime
) -> dict[str, int] | None:
    """committed_counts from the snapshot's file metadata alone; None when a file of the run holds more than one
    object version (or its bounds cannot say so)."""
    stamp = F.lit(processed_at).cast("timestamp")
    metrics = "readable_metrics"
    files = spark.sql(
        f"SELECT content, record_count, {metrics} FROM {table.metadata_table('files')} VERSION AS OF {int(snapshot_id)}"
    ).where(
        (F.col(f"{metrics}.{PROCESSED_AT}.lower_bound") <= stamp)
        & (F.col(f"{metrics}.{PROCESSED_AT}.upper_bound") >= stamp)
    )

    def single(column: str, value: Column | None = None) -> Column:
        bounds = F.col(f"{metrics}.`{column}`")
        same = (bounds["null_value_count"] == 0) & (bounds["lower_bound"] == bounds["upper_bound"])
        return same if value is None else same & (bounds["lower_bound"] == value)

    one_version = (
        (F.col("content") == 0)
        & single(PROCESSED_AT, stamp)
        & single(PROCESSING_JOB, F.lit(processing_job))
        & single(SOURCE_KEY)
        & single(SOURCE_VERSION)
    )
    run_files = files.select(
        F.coalesce(one_version, F.lit(False)).alias("one_version"),
        F.col("record_count"),
        F.col(f"{metrics}.{SOURCE_KEY}.lower_bound").alias(SOURCE_KEY),
        F.col(f"{metrics}.{SOURCE_VERSION}.lower_bound").alias(SOURCE_VERSION),
    ).collect()
    if not all(row["one_version"] for row in run_files):
        return None
    counts: dict[str, int] = {}
    for row in run_files:
        key = _version_key(row[SOURCE_KEY], row[SOURCE_VERSION])
        counts[key] = counts.get(key, 0) + int(row["record_count"])
    return counts


def version_key(obj: SourceObject) -> str:
    return _version_key(obj.key, obj.version)


def _version_key(key: str, version: str) -> str:
    return f"{key}#{version}"


class TableRefs:
    """The table's branches through Iceberg's own API (py4j): reading and moving refs runs no Spark job.

    It is the instance Spark's catalog caches, so what Spark reads and writes next sees every change made here.
    """

    def __init__(self, spark: SparkSession, table: TableName) -> None:
        jvm = spark.sparkContext._jvm
        assert jvm is not None, "a SparkSession always has a JVM"
        self.name = table
        self._table = jvm.org.apache.iceberg.spark.Spark3Util.loadIcebergTable(spark._jsparkSession, table.identifier)

    def refresh(self) -> None:
        """Reads the table's current metadata: Spark caches tables, and other runs commit from other processes."""
        self._table.refresh()

    def head(self, ref: str) -> int | None:
        found = self._table.refs().get(ref)
        return None if found is None else int(found.snapshotId())

    def summary(self, snapshot_id: int) -> dict[str, str]:
        snapshot = self._table.snapshot(snapshot_id)
        return {} if snapshot is None else {str(key): str(value) for key, value in snapshot.summary().items()}

    def summary_since(self, ref: str, before: int | None) -> dict[str, str]:
        """The summary of the snapshot the last operation added to `ref`; empty when it added none."""
        head = self.head(ref)
        return {} if head is None or head == before else self.summary(head)

    def create_branch(self, branch: str) -> None:
        """At `main`'s snapshot; on a table without one, at a new empty snapshot."""
        self._commit_refs(lambda: self._table.manageSnapshots().createBranch(branch).commit())

    def drop_branch(self, branch: str) -> None:
        def drop() -> None:
            if self._table.refs().get(branch) is not None:
                self._table.manageSnapshots().removeBranch(branch).commit()

        self._commit_refs(drop)

    def _commit_refs(self, commit: Callable[[], object]) -> None:
        """Runs a refs-only commit, again on fresh metadata when another run committed the table in between (a
        concurrent run's own branch counts: every ref change writes new table metadata)."""
        for attempt in range(1, _REF_COMMIT_ATTEMPTS + 1):
            try:
                commit()
                return
            except Exception as error:
                if _COMMIT_FAILED not in str(error) or attempt == _REF_COMMIT_ATTEMPTS:
                    raise
                LOG.info("table %s: refs changed by another run (attempt %d); reading them again", self.name, attempt)
                self.refresh()

    def fast_forward(self, target: str, source: str) -> None:
        self._table.manageSnapshots().fastForwardBranch(target, source).commit()


def _delete_replaced(
    spark: SparkSession,
    change: TableChange,
    refs: TableRefs,
    branch: str,
    objects: Sequence[SourceObject],
    policy: NewVersionPolicy,
) -> int:
    if not objects:
        return 0
    before = refs.head(branch)
    spark.sql(f"DELETE FROM {change.table.branch(branch)} WHERE {replaced_rows(objects, policy)}")
    summary = refs.summary_since(branch, before)
    return int(summary.get("added-position-deletes", 0)) + int(summary.get("deleted-records", 0))


def _append(
    change: TableChange, refs: TableRefs, branch: str, objects: Sequence[SourceObject], left_out: set[SourceObject]
) -> int:
    if change.rows is None or not objects:
        return 0
    rows = change.rows
    if left_out:
        rows = rows.where(~F.col(SOURCE_KEY).isin(sorted({obj.key for obj in left_out})))
    before = refs.head(branch)
    rows.writeTo(change.table.branch(branch)).append()
    return int(refs.summary_since(branch, before).get("added-records", 0))


def _publish(refs: TableRefs, branch: str, base: int | None) -> int:
    """Moves `main` to the branch if `main` is still where the branch started. Fast-forward alone would also accept
    a `main` moved backwards (a rollback after a bad load) and so bring the rolled-back rows back."""
    refs.refresh()
    current = refs.head(MAIN)
    if current != base:
        raise PublishConflict(f"main of {refs.name} moved from snapshot {base} to {current} while the run staged")
    try:
        refs.fast_forward(MAIN, branch)
    except Exception as error:
        # Either way main is not where the branch started any more: stage again on the new main.
        if _NOT_AN_ANCESTOR in str(error) or _COMMIT_FAILED in str(error):
            raise PublishConflict(str(error)) from error
        raise
    published = refs.head(MAIN)
    assert published is not None, "main points at the branch's snapshot after a fast-forward"
    return published
