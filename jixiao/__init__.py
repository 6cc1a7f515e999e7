"""jixiao: performance-evaluation reports into a DuckDB warehouse."""
