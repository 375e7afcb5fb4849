"""file_processor: CSV files of a trigger manifest to partitioned Parquet, a quarantine and a catalogued table.

Plain PySpark; the Glue entrypoint (`glue_entrypoint.py` beside `src/`) is the only part that imports awsglue.
Start reading at job.py (one run) and file_plan.py / file_execution.py (one file).
"""
