"""file_processor: the CSV files of a trigger manifest to rows of an Iceberg table and its quarantine table.

Plain PySpark; the Glue entrypoint (`glue_entrypoint.py` beside `src/`) is the only part that imports awsglue.
Start reading at job.py (one run), then file_plan.py (one file), batch_read.py (the read) and table_commit.py
(the commit).
"""
