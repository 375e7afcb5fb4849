"""A file's terminal status as operators read it: a file none of whose rows reached the table ended in quarantine.

The commit step calls a file `succeeded` once its rows are committed, wherever they went. A file whose every row
failed validation is then all in the `<table>__quarantine` table and none in the data table: nothing of it can be
queried, so the run report and the ledger call it `quarantined`, as they do a file quarantined whole, and say why.
"""

from __future__ import annotations

from dataclasses import replace

from file_processor.run_report import FileResult, FileStatus

EVERY_ROW_QUARANTINED = "every row failed validation"
"""The start of the reason of a file whose rows all went to the quarantine table."""


def every_row_quarantined_reason(rows: int, quarantine_table: str) -> str:
    noun = "row" if rows == 1 else "rows"
    return f"{EVERY_ROW_QUARANTINED}: {rows} {noun} quarantined to {quarantine_table}, none written"


def settle(result: FileResult, quarantine_table: str) -> FileResult:
    """The result, or `quarantined` with its reason when rows were read and none was written."""
    if result.status != FileStatus.SUCCEEDED or result.rows_read == 0 or result.rows_written > 0:
        return result
    return replace(
        result,
        status=FileStatus.QUARANTINED,
        reason=every_row_quarantined_reason(result.rows_quarantined, quarantine_table),
    )
