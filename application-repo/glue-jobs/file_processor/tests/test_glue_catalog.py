"""The Glue catalog adapter against botocore's Stubber: the exact requests, retries and error handling, no network."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.stub import ANY, Stubber
from file_processor.catalog import CatalogError
from file_processor.catalog_model import TableUpdate, WrittenPartition, build_partition_input, build_table_input
from file_processor.column_types import BIGINT, INT, STRING
from file_processor.glue_catalog import GlueCatalog
from file_processor.table_schema import METADATA_COLUMNS, Column

DATABASE = "glue_etl_dev"
LOCATION = "s3://out-bucket/orders/"


@pytest.fixture
def glue() -> Iterator[tuple[Any, Stubber]]:
    client = boto3.client("glue", region_name="eu-west-1", aws_access_key_id="test", aws_secret_access_key="test")
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()


def _partition(source: str, *columns: Column) -> WrittenPartition:
    return WrittenPartition(
        values=("2026-11-23", source),
        location=f"{LOCATION}ingest_date=2026-11-23/source_id={source}/",
        columns=(*columns, *METADATA_COLUMNS),
    )


def _existing_table(columns: list[Column], version: str = "7") -> dict[str, Any]:
    return {**build_table_input("orders", columns, LOCATION), "DatabaseName": DATABASE, "VersionId": version}


def test_a_missing_table_is_created_and_its_partitions_registered(glue: tuple[Any, Stubber]) -> None:
    client, stubber = glue
    partition = _partition("s1", Column("id", INT))
    stubber.add_client_error(
        "get_table", "EntityNotFoundException", expected_params={"DatabaseName": DATABASE, "Name": "orders"}
    )
    stubber.add_response(
        "create_table",
        {},
        {"DatabaseName": DATABASE, "TableInput": build_table_input("orders", [Column("id", INT)], LOCATION)},
    )
    stubber.add_response(
        "batch_create_partition",
        {},
        {"DatabaseName": DATABASE, "TableName": "orders", "PartitionInputList": [build_partition_input(partition)]},
    )

    outcome = GlueCatalog(client, DATABASE).publish(TableUpdate("orders", LOCATION, (partition,)))

    assert outcome.action == "created"
    assert (outcome.partitions_created, outcome.partitions_updated) == (1, 0)


def test_new_columns_update_the_table_at_the_version_read(glue: tuple[Any, Stubber]) -> None:
    client, stubber = glue
    partition = _partition("s1", Column("id", BIGINT), Column("note", STRING))
    stubber.add_response("get_table", {"Table": _existing_table([Column("id", INT)], version="7")})
    stubber.add_response(
        "update_table",
        {},
        {
            "DatabaseName": DATABASE,
            "TableInput": build_table_input("orders", [Column("id", BIGINT), Column("note", STRING)], LOCATION),
            "VersionId": "7",
        },
    )
    stubber.add_response(
        "batch_create_partition", {}, {"DatabaseName": DATABASE, "TableName": "orders", "PartitionInputList": ANY}
    )

    outcome = GlueCatalog(client, DATABASE).publish(TableUpdate("orders", LOCATION, (partition,)))

    assert outcome.action == "updated"
    assert outcome.columns == (Column("id", BIGINT), Column("note", STRING))


def test_a_concurrent_table_change_is_read_again_and_merged(glue: tuple[Any, Stubber]) -> None:
    client, stubber = glue
    partition = _partition("s1", Column("id", INT), Column("note", STRING))
    stubber.add_response("get_table", {"Table": _existing_table([Column("id", INT)], version="7")})
    stubber.add_client_error("update_table", "ConcurrentModificationException")
    other_run_columns = [Column("id", INT), Column("city", STRING)]
    stubber.add_response("get_table", {"Table": _existing_table(other_run_columns, version="8")})
    stubber.add_response(
        "update_table",
        {},
        {
            "DatabaseName": DATABASE,
            "TableInput": build_table_input("orders", [*other_run_columns, Column("note", STRING)], LOCATION),
            "VersionId": "8",
        },
    )
    stubber.add_response(
        "batch_create_partition", {}, {"DatabaseName": DATABASE, "TableName": "orders", "PartitionInputList": ANY}
    )

    outcome = GlueCatalog(client, DATABASE).publish(TableUpdate("orders", LOCATION, (partition,)))

    assert outcome.columns == (Column("id", INT), Column("city", STRING), Column("note", STRING))


def test_an_unchanged_table_is_not_written_and_existing_partitions_are_updated(glue: tuple[Any, Stubber]) -> None:
    client, stubber = glue
    partition = _partition("s1", Column("id", INT))
    stubber.add_response("get_table", {"Table": _existing_table([Column("id", INT)])})
    stubber.add_response(
        "batch_create_partition",
        {"Errors": [{"PartitionValues": ["2026-11-23", "s1"], "ErrorDetail": {"ErrorCode": "AlreadyExistsException"}}]},
        {"DatabaseName": DATABASE, "TableName": "orders", "PartitionInputList": ANY},
    )
    stubber.add_response(
        "batch_update_partition",
        {},
        {
            "DatabaseName": DATABASE,
            "TableName": "orders",
            "Entries": [
                {"PartitionValueList": ["2026-11-23", "s1"], "PartitionInput": build_partition_input(partition)}
            ],
        },
    )

    outcome = GlueCatalog(client, DATABASE).publish(TableUpdate("orders", LOCATION, (partition,)))

    assert outcome.action == "unchanged"
    assert (outcome.partitions_created, outcome.partitions_updated) == (0, 1)


def test_partitions_are_created_in_batches_of_one_hundred(glue: tuple[Any, Stubber]) -> None:
    client, stubber = glue
    partitions = tuple(_partition(f"s{index}", Column("id", INT)) for index in range(150))
    stubber.add_response("get_table", {"Table": _existing_table([Column("id", INT)])})
    for batch in (partitions[:100], partitions[100:]):
        stubber.add_response(
            "batch_create_partition",
            {},
            {
                "DatabaseName": DATABASE,
                "TableName": "orders",
                "PartitionInputList": [build_partition_input(p) for p in batch],
            },
        )

    outcome = GlueCatalog(client, DATABASE).publish(TableUpdate("orders", LOCATION, partitions))

    assert outcome.partitions_created == 150


def test_a_refused_partition_fails_with_its_values_and_the_reason(glue: tuple[Any, Stubber]) -> None:
    client, stubber = glue
    stubber.add_response("get_table", {"Table": _existing_table([Column("id", INT)])})
    stubber.add_response(
        "batch_create_partition",
        {
            "Errors": [
                {
                    "PartitionValues": ["2026-11-23", "s1"],
                    "ErrorDetail": {"ErrorCode": "AccessDeniedException", "ErrorMessage": "no"},
                }
            ]
        },
    )

    with pytest.raises(CatalogError, match=r"partition \['2026-11-23', 's1'\].*AccessDeniedException"):
        GlueCatalog(client, DATABASE).publish(TableUpdate("orders", LOCATION, (_partition("s1", Column("id", INT)),)))


def test_a_table_that_cannot_be_read_is_a_catalog_error(glue: tuple[Any, Stubber]) -> None:
    client, stubber = glue
    stubber.add_client_error("get_table", "AccessDeniedException", "not allowed")

    with pytest.raises(CatalogError, match=r"cannot read table glue_etl_dev\.orders: AccessDeniedException"):
        GlueCatalog(client, DATABASE).data_columns("orders")


def test_data_columns_of_an_existing_table_leave_out_metadata(glue: tuple[Any, Stubber]) -> None:
    client, stubber = glue
    stubber.add_response("get_table", {"Table": _existing_table([Column("id", INT), Column("name", STRING)])})

    assert GlueCatalog(client, DATABASE).data_columns("orders") == [Column("id", INT), Column("name", STRING)]
