"""Glue entrypoint of file_processor: the only file that imports `awsglue`.

Glue runs this script with the package zip from `src/` on the path (`--extra-py-files`). It resolves the
arguments, gets the SparkSession from GlueContext, hands everything to file_processor.glue_job and commits.
It has no `if __name__ == "__main__"` guard on purpose: a script that silently does nothing when Glue loads it
another way would report success without processing a file.
"""

import sys

import boto3
from awsglue.context import GlueContext
from awsglue.job import Job
from awsglue.utils import getResolvedOptions
from file_processor.glue_job import GLUE_ARGUMENTS, OPTIONAL_ARGUMENTS, run_glue_job
from pyspark.context import SparkContext

# The optional arguments (`--datasets`, the ledger's, the metrics namespace): getResolvedOptions refuses a name that
# is not passed, so ask for each only when it is.
given = {argument.split("=", 1)[0] for argument in sys.argv}
wanted = [*GLUE_ARGUMENTS, *(name for name in OPTIONAL_ARGUMENTS if f"--{name}" in given)]
arguments = getResolvedOptions(sys.argv, wanted)
glue_context = GlueContext(SparkContext.getOrCreate())
job = Job(glue_context)
job.init(arguments["JOB_NAME"], arguments)
run_glue_job(
    glue_context.spark_session,
    arguments,
    s3_client=boto3.client("s3"),
    dynamodb_client=boto3.client("dynamodb"),
    cloudwatch_client=boto3.client("cloudwatch"),
)
job.commit()
