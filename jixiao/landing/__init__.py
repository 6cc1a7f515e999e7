"""Landing: extractions → the landed seed files dbt reads (their schema, the manifest's overrides)."""
