"""table_maintenance: compaction, snapshot expiry and clean-up of the Iceberg tables file_processor writes.

Plain PySpark; the Glue entrypoint (`glue_entrypoint.py` beside `src/`) is the only part that imports awsglue.
Start reading at maintenance.py (one run over a database); iceberg_tables.py holds every Iceberg SQL statement.
"""
