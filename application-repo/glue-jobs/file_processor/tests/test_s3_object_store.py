"""The S3 object store against botocore's Stubber: ranged reads, version checks, copies and prefix deletes."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.response import StreamingBody
from botocore.stub import Stubber
from file_processor.object_store import ObjectNotFoundError
from file_processor.s3_object_store import S3ObjectStore, split_s3_uri


@pytest.fixture
def s3() -> Iterator[tuple[S3ObjectStore, Stubber]]:
    client = boto3.client("s3", region_name="eu-west-1", aws_access_key_id="test", aws_secret_access_key="test")
    with Stubber(client) as stubber:
        yield S3ObjectStore(client), stubber
        stubber.assert_no_pending_responses()


def _body(data: bytes) -> StreamingBody:
    return StreamingBody(io.BytesIO(data), len(data))


def test_an_s3_uri_splits_into_bucket_and_key() -> None:
    assert split_s3_uri("s3://bucket/incoming/a b+c.csv") == ("bucket", "incoming/a b+c.csv")


def test_a_path_that_is_not_an_s3_uri_is_refused() -> None:
    with pytest.raises(ValueError, match="expected an s3://bucket/key URI"):
        split_s3_uri("/data/file.csv")


def test_the_sample_is_a_ranged_get_of_the_first_bytes(s3: tuple[S3ObjectStore, Stubber]) -> None:
    store, stubber = s3
    stubber.add_response(
        "get_object", {"Body": _body(b"a,b\n")}, {"Bucket": "in", "Key": "k.csv", "Range": "bytes=0-1023"}
    )

    assert store.read_bytes("s3://in/k.csv", 1024) == b"a,b\n"


def test_a_range_on_an_empty_object_reads_no_bytes(s3: tuple[S3ObjectStore, Stubber]) -> None:
    store, stubber = s3
    stubber.add_client_error("get_object", "InvalidRange", http_status_code=416)

    assert store.read_bytes("s3://in/empty.csv", 1024) == b""


def test_info_has_the_unquoted_etag_and_the_version(s3: tuple[S3ObjectStore, Stubber]) -> None:
    store, stubber = s3
    stubber.add_response(
        "head_object",
        {"ContentLength": 12, "ETag": '"abc123"', "VersionId": "v1"},
        {"Bucket": "in", "Key": "k.csv"},
    )

    info = store.info("s3://in/k.csv")

    assert (info.size, info.e_tag, info.version_id) == (12, "abc123", "v1")


def test_a_missing_object_is_object_not_found(s3: tuple[S3ObjectStore, Stubber]) -> None:
    store, stubber = s3
    stubber.add_client_error("head_object", "404", http_status_code=404)

    with pytest.raises(ObjectNotFoundError):
        store.info("s3://in/gone.csv")


def test_copy_is_one_copy_object_request(s3: tuple[S3ObjectStore, Stubber]) -> None:
    store, stubber = s3
    stubber.add_response("head_object", {"ContentLength": 10, "ETag": '"e"'}, {"Bucket": "in", "Key": "bad.csv"})
    stubber.add_response(
        "copy_object",
        {},
        {"Bucket": "out", "Key": "quarantine/t/_files/bad.csv", "CopySource": {"Bucket": "in", "Key": "bad.csv"}},
    )

    store.copy("s3://in/bad.csv", "s3://out/quarantine/t/_files/bad.csv")


def test_delete_prefix_removes_every_listed_object_under_the_folder(s3: tuple[S3ObjectStore, Stubber]) -> None:
    store, stubber = s3
    stubber.add_response(
        "list_objects_v2",
        {"Contents": [{"Key": "t/p=1/a.parquet"}, {"Key": "t/p=1/_SUCCESS"}], "IsTruncated": False},
        {"Bucket": "out", "Prefix": "t/p=1/"},
    )
    stubber.add_response(
        "delete_objects",
        {},
        {
            "Bucket": "out",
            "Delete": {"Objects": [{"Key": "t/p=1/a.parquet"}, {"Key": "t/p=1/_SUCCESS"}], "Quiet": True},
        },
    )

    assert store.delete_prefix("s3://out/t/p=1") == 2


def test_list_names_gives_the_names_under_the_folder_across_pages(s3: tuple[S3ObjectStore, Stubber]) -> None:
    store, stubber = s3
    stubber.add_response(
        "list_objects_v2",
        {"Contents": [{"Key": "t/p=1/a.parquet"}], "IsTruncated": True, "NextContinuationToken": "next"},
        {"Bucket": "out", "Prefix": "t/p=1/"},
    )
    stubber.add_response(
        "list_objects_v2",
        {"Contents": [{"Key": "t/p=1/b.parquet"}], "IsTruncated": False},
        {"Bucket": "out", "Prefix": "t/p=1/", "ContinuationToken": "next"},
    )

    assert store.list_names("s3://out/t/p=1") == ["a.parquet", "b.parquet"]


def test_a_refused_delete_is_an_error_naming_the_key(s3: tuple[S3ObjectStore, Stubber]) -> None:
    store, stubber = s3
    stubber.add_response("list_objects_v2", {"Contents": [{"Key": "t/a"}], "IsTruncated": False})
    stubber.add_response("delete_objects", {"Errors": [{"Key": "t/a", "Code": "AccessDenied", "Message": "no"}]})

    with pytest.raises(RuntimeError, match="t/a: AccessDenied"):
        store.delete_prefix("s3://out/t")


def test_the_report_is_written_with_its_content_type(s3: tuple[S3ObjectStore, Stubber]) -> None:
    store, stubber = s3
    expected: dict[str, Any] = {
        "Bucket": "assets",
        "Key": "reports/j/r.json",
        "Body": b"{}",
        "ContentType": "application/json",
    }
    stubber.add_response("put_object", {}, expected)

    store.write_bytes("s3://assets/reports/j/r.json", b"{}", "application/json")
