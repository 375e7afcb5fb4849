"""The harness's stand-in for the Glue service: runs one job run of file_processor with local Spark.

    .venv/bin/python scripts/local-platform/local_glue.py run RUN.json
    .venv/bin/python scripts/local-platform/local_glue.py query WAREHOUSE SQL [SQL ...]

`run` takes what Glue would hand the script (the job's default arguments merged with the run's, `JOB_NAME`,
`JOB_RUN_ID`) and calls the job's own `run_glue_job` with boto3 clients that reach the emulator through
`AWS_ENDPOINT_URL`, as any boto3 client can be pointed at an endpoint. Two things differ from Glue, both here:
- Spark reads `s3://<input bucket>/incoming/...` from a local folder: hadoop-aws and the AWS SDK bundle that s3a
  needs are hundreds of megabytes, so this script first downloads the current object of every key the manifest
  names from the emulator (what an s3 read of the key would return) and mounts that folder under the bucket's
  name with Hadoop's ViewFileSystemOverloadScheme. The paths Spark sees, and the rows' `source_key`, stay `s3://`.
  Every other S3 call of the job (manifest, HEAD, sample, version checks, quarantine copies, report) and its
  ledger and metrics calls go to the emulator.
- The Iceberg tables live in a Hadoop catalog in a local folder (WAREHOUSE) instead of the Glue Data Catalog
  and the output bucket: Iceberg's GlueCatalog and S3FileIO need the same SDK jars.
It prints one JSON line: the run's status and report, or the error that failed it (exit 1).
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import boto3
from file_processor.glue_job import run_glue_job
from file_processor.manifest import parse_manifest_json
from file_processor.s3_object_store import S3ObjectStore
from file_processor.spark_session import local_session
from pyspark.sql import SparkSession

STAGED_PREFIX = "incoming"


def stage_objects(s3: Any, manifest_uri: str, staging: Path) -> dict[str, str]:
    """Downloads the current object of each key of the manifest; returns the Hadoop mounts that serve them."""
    manifest = parse_manifest_json(S3ObjectStore(s3).read_bytes(manifest_uri))
    mounts: dict[str, str] = {}
    for obj in manifest.objects:
        target = staging / obj.bucket / obj.key
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            body = s3.get_object(Bucket=obj.bucket, Key=obj.key)["Body"].read()
        except s3.exceptions.NoSuchKey:
            continue  # deleted since: Spark finds nothing there either, and the job's own checks say so
        target.write_bytes(body)
        prefix = f"spark.hadoop.fs.viewfs.mounttable.{obj.bucket}"
        mounts[f"{prefix}.link./{STAGED_PREFIX}"] = (staging / obj.bucket / STAGED_PREFIX).as_uri()
    return mounts


def session(warehouse: str, mounts: dict[str, str]) -> SparkSession:
    return local_session(
        warehouse,
        app_name="local-glue",
        extra={
            "spark.hadoop.fs.s3.impl": "org.apache.hadoop.fs.viewfs.ViewFileSystemOverloadScheme",
            "spark.hadoop.fs.s3.impl.disable.cache": "true",
            "spark.hadoop.fs.viewfs.overload.scheme.target.s3.impl": "org.apache.hadoop.fs.RawLocalFileSystem",
            **mounts,
        },
        short_lived=True,
    )


def run(request_file: str) -> int:
    request = json.loads(Path(request_file).read_text())
    arguments: dict[str, str] = request["arguments"]
    work = Path(request["workDir"])
    s3 = boto3.client("s3")
    outcome: dict[str, Any] = {"jobRunId": arguments.get("JOB_RUN_ID")}
    try:
        mounts = stage_objects(s3, arguments["manifest"], work / "staged" / arguments["JOB_RUN_ID"])
        spark = session(request["warehouse"], mounts)
        report = run_glue_job(
            spark,
            arguments,
            s3_client=s3,
            configure_session=False,
            dynamodb_client=boto3.client("dynamodb"),
            cloudwatch_client=boto3.client("cloudwatch"),
        )
        outcome.update(status="SUCCEEDED", report=report.to_json())
        code = 0
    except Exception as error:  # Glue marks the run FAILED with the error's message; so does the harness
        outcome.update(status="FAILED", error=f"{type(error).__name__}: {error}", trace=traceback.format_exc())
        code = 1
    print(json.dumps(outcome))
    return code


def query(warehouse: str, statements: list[str]) -> int:
    spark = local_session(warehouse, app_name="local-athena", short_lived=True)
    answers = [[row.asDict() for row in spark.sql(sql).collect()] for sql in statements]
    print(json.dumps(answers, default=str))
    return 0


def main(argv: list[str]) -> int:
    if os.environ.get("AWS_ENDPOINT_URL", "") == "" or urlparse(os.environ["AWS_ENDPOINT_URL"]).hostname not in (
        "127.0.0.1",
        "localhost",
    ):
        print("local_glue.py: AWS_ENDPOINT_URL must name the local emulator (http://127.0.0.1:PORT)", file=sys.stderr)
        return 2
    if len(argv) == 2 and argv[0] == "run":
        return run(argv[1])
    if len(argv) >= 3 and argv[0] == "query":
        return query(argv[1], argv[2:])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
