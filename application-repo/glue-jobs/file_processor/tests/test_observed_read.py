"""What one pass over the input observes while it is written (observed_read): counts, bad rows, cut records."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from file_processor import observed_read
from file_processor.batch_read import RunStamp, read_batch
from file_processor.column_types import INT, STRING
from file_processor.file_plan import FilePlan, PlanAction
from file_processor.manifest import ManifestObject
from file_processor.observed_read import BadRow, ObservedRead
from file_processor.table_schema import Column
from pyspark.sql import SparkSession

COLUMNS = (Column("id", INT), Column("name", STRING))
STAMP = RunStamp(processed_at=datetime(2026, 11, 30, 12, 0, tzinfo=UTC), processing_job="file_processor/test")


def _plan(path: Path, multi_line: bool) -> FilePlan:
    size = path.stat().st_size
    obj = ManifestObject("input", f"incoming/d/{path.name}", "v1", "etag", size, datetime(2026, 11, 30, tzinfo=UTC))
    return FilePlan(
        obj=obj,
        uri=str(path),
        action=PlanAction.READ,
        size=size,
        header=("id", "name"),
        columns=COLUMNS,
        multi_line=multi_line,
    )


def _observe(spark: SparkSession, plans: list[FilePlan]) -> ObservedRead:
    observed = ObservedRead(read_batch(spark, plans, STAMP))
    observed.rows.write.format("noop").mode("overwrite").save()
    return observed


def test_the_write_s_pass_counts_every_file_and_hands_over_its_bad_rows(spark: SparkSession, tmp_path: Path) -> None:
    clean = tmp_path / "clean.csv"
    clean.write_text("id,name\n1,a\n2,b\n3,c\n")
    mixed = tmp_path / "mixed.csv"
    mixed.write_text('id,name\n4,d\nfive,e\n6,"f\ng"\n7\n')

    observed = _observe(spark, [_plan(clean, multi_line=False), _plan(mixed, multi_line=True)])
    seen = observed.result()

    assert seen.counts == {0: (3, 0), 1: (2, 2)}
    assert seen.bad_rows is not None
    assert sorted(seen.bad_rows, key=lambda row: row.raw_record) == [
        BadRow("7", "malformed CSV record: the header has 2 fields and this record does not", 1),
        BadRow("five,e", "column 'id' expects int, got 'five'", 1),
    ]
    assert seen.cut == frozenset()
    assert seen.unmatched == 0


def test_a_record_cut_at_a_quoted_newline_names_its_file_only_when_read_by_line(
    spark: SparkSession, tmp_path: Path
) -> None:
    by_line = tmp_path / "by-line.csv"
    by_line.write_text('id,name\n1,a\n2,"b\nc"\n3,d\n')
    multi_line = tmp_path / "multi-line.csv"
    multi_line.write_text('id,name\n1,a\n2,"b\nc"\n3,d\n')

    observed = _observe(spark, [_plan(by_line, multi_line=False), _plan(multi_line, multi_line=True)])

    assert observed.result().cut == frozenset({0})
    assert observed.cut_uris() == {str(by_line)}


@pytest.mark.parametrize(("bad_rows", "handed_over"), [(1, True), (3, False)])
def test_a_task_hands_over_at_most_its_share_of_bad_rows_counting_only_bad_rows(
    spark: SparkSession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bad_rows: int, handed_over: bool
) -> None:
    monkeypatch.setattr(observed_read, "BAD_ROWS_PER_TASK", 2)
    # One task (multi-line): 10 good rows first, so a cap that counted every row would already be passed.
    path = tmp_path / "f.csv"
    path.write_text("id,name\n" + "".join(f"{n},x\n" for n in range(10)) + "bad,y\n" * bad_rows)

    seen = _observe(spark, [_plan(path, multi_line=True)]).result()

    assert seen.counts == {0: (10, bad_rows)}
    if handed_over:
        assert seen.bad_rows == (BadRow("bad,y", "column 'id' expects int, got 'bad'", 0),)
    else:
        assert seen.bad_rows is None
