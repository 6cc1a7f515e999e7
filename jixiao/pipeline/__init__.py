"""The refresh pipeline: discovery, the extraction cache, the Prefect flow, run records, schedules."""
