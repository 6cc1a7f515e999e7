"""Great Expectations quality gate of the warehouse (suites in ``expectations/``).

``run_quality_gate`` validates a built DuckDB file and says whether it may be published (only the
rows of ``changed_report_ids`` when given; ``changed_reports`` computes that set by comparing the
building file with the published one);
``copy_quality_history`` carries ``quality_runs``/``pipeline_runs`` into the next build.
"""

from .changes import changed_reports
from .gate import load_stage_suites, run_quality_gate
from .history import copy_quality_history, write_quality_runs
from .results import ExpectationOutcome, GateResult
from .suites import SuiteFileError, load_suite, load_vocabularies

__all__ = [
    "ExpectationOutcome",
    "GateResult",
    "changed_reports",
    "SuiteFileError",
    "copy_quality_history",
    "load_stage_suites",
    "load_suite",
    "load_vocabularies",
    "run_quality_gate",
    "write_quality_runs",
]
