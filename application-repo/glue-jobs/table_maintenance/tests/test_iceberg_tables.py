"""The SQL text maintenance sends: names quoted, instants in UTC whatever the session's time zone."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from file_processor.tables import TableName
from table_maintenance.iceberg_tables import map_literal, timestamp_literal


def test_an_instant_is_written_in_utc_with_an_explicit_zone() -> None:
    moment = datetime(2026, 11, 23, 4, 30, 0, 123456, tzinfo=timezone(timedelta(hours=1)))

    assert timestamp_literal(moment) == "TIMESTAMP '2026-11-23T03:30:00.123456Z'"


def test_an_instant_without_a_time_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="has no time zone"):
        timestamp_literal(datetime(2026, 11, 23, 3, 30))


def test_table_names_are_quoted_in_statements_and_in_procedure_arguments() -> None:
    name = TableName("glue_platform_dev", "odd`name")

    assert name.identifier == "glue_catalog.`glue_platform_dev`.`odd``name`"
    assert name.metadata_table("refs") == "glue_catalog.`glue_platform_dev`.`odd``name`.`refs`"
    assert name.procedure_argument == "'`glue_platform_dev`.`odd``name`'"


def test_procedure_options_are_a_map_of_escaped_strings() -> None:
    assert map_literal({"min-input-files": "2", "odd": "it's"}) == "map('min-input-files', '2', 'odd', 'it\\'s')"
