"""Where the report goes and how it gets there: a writer takes a location and bytes.

Glue writes to S3 with `put_object` (S3ReportWriter); tests and local runs write to a folder (write_local_file).
Layout: `<assets root>/reports/<job name>/<run id>.json`, the assets root being `s3://<assets bucket>` or a folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from table_maintenance.maintenance_report import MaintenanceReport

REPORTS_PREFIX = "reports"
S3_SCHEME = "s3://"


class ReportWriter(Protocol):
    def __call__(self, location: str, body: bytes, /) -> None: ...


class S3PutObjectClient(Protocol):
    """The one call of boto3's S3 client that the job makes."""

    def put_object(self, *, Bucket: str, Key: str, Body: bytes, ContentType: str) -> object: ...


def report_location(assets_root: str, job_name: str, run_id: str) -> str:
    return f"{assets_root.rstrip('/')}/{REPORTS_PREFIX}/{job_name}/{run_id}.json"


def write_report(report: MaintenanceReport, assets_root: str, writer: ReportWriter) -> str:
    """Writes the report and returns where it went."""
    location = report_location(assets_root, report.job_name, report.run_id)
    writer(location, report.to_bytes())
    return location


def write_local_file(location: str, body: bytes) -> None:
    path = Path(location)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(body)


class S3ReportWriter:
    def __init__(self, client: S3PutObjectClient) -> None:
        self._client = client

    def __call__(self, location: str, body: bytes, /) -> None:
        bucket, key = split_s3_uri(location)
        self._client.put_object(Bucket=bucket, Key=key, Body=body, ContentType="application/json")


def split_s3_uri(uri: str) -> tuple[str, str]:
    bucket, _, key = uri.removeprefix(S3_SCHEME).partition("/")
    if not uri.startswith(S3_SCHEME) or not bucket or not key:
        raise ValueError(f"{uri!r} is not an S3 object URI; expected s3://<bucket>/<key>")
    return bucket, key
