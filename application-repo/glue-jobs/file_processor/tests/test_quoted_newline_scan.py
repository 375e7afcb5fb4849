"""The text scan that sends a file with a quoted newline anywhere to the multi-line reader (batch_read)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from file_processor.batch_read import find_quoted_newlines
from file_processor.file_plan import FilePlan, PlanAction
from file_processor.manifest import ManifestObject
from pyspark.sql import SparkSession

HEADER = "id,name,note\n"


def _plan(path: Path) -> FilePlan:
    size = path.stat().st_size
    obj = ManifestObject("input", f"incoming/d/{path.name}", "v1", "etag", size, datetime(2026, 11, 30, tzinfo=UTC))
    return FilePlan(obj=obj, uri=str(path), action=PlanAction.READ, size=size)


@pytest.mark.parametrize(
    ("body", "odd"),
    [
        ('1,plain,none\n2,"one, two",x\n', False),  # two quotes
        ('1,"a ""quoted"" word",x\n', False),  # four
        ('1,"a","b","c"\n', False),  # six
        ('1,"starts here\nends here",x\n', True),  # one, then one
        ('1,"a ""b"" c\nd",x\n', True),  # three, then one
        ('1,"é ""ü"" ñ\n€",x\n', True),  # the same with characters of several bytes
        ('1,a"b,c"d"e\n', True),  # three, unquoted
    ],
)
def test_a_line_with_an_odd_number_of_quotes_marks_its_file(
    spark: SparkSession, tmp_path: Path, body: str, odd: bool
) -> None:
    path = tmp_path / "f.csv"
    path.write_text(HEADER + body, encoding="utf-8")

    found = find_quoted_newlines(spark, [_plan(path)])

    assert found == ({str(path)} if odd else set())


def test_only_the_files_with_an_odd_line_are_named(spark: SparkSession, tmp_path: Path) -> None:
    even = tmp_path / "even.csv"
    even.write_text(HEADER + '1,"x",y\n' * 50)
    late = tmp_path / "late [1].csv"
    late.write_text(HEADER + '1,"x",y\n' * 50 + '2,"a\nb",c\n')

    assert find_quoted_newlines(spark, [_plan(even), _plan(late)]) == {str(late)}
