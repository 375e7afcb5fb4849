"""Glue entrypoint of table_maintenance: the only file that imports `awsglue`.

Glue runs this script with the package zips of `table_maintenance/src/` and `file_processor/src/` on the path
(`--extra-py-files`; the session settings come from file_processor.spark_session). It resolves the arguments,
gets the SparkSession from GlueContext, hands everything to table_maintenance.glue_job and commits. It has no
`if __name__ == "__main__"` guard on purpose: a script that silently does nothing when Glue loads it another way
would report success without maintaining a table.
"""

import sys

import boto3
from awsglue.context import GlueContext
from awsglue.job import Job
from awsglue.utils import getResolvedOptions
from pyspark.context import SparkContext
from table_maintenance.glue_job import run_glue_job
from table_maintenance.job_arguments import GLUE_ARGUMENTS

arguments = getResolvedOptions(sys.argv, list(GLUE_ARGUMENTS))
glue_context = GlueContext(SparkContext.getOrCreate())
job = Job(glue_context)
job.init(arguments["JOB_NAME"], arguments)
run_glue_job(glue_context.spark_session, arguments, s3_client=boto3.client("s3"))
job.commit()
