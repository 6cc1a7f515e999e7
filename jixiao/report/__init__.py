"""``jixiao report``: a static, offline HTML site of the warehouse's trends (see :func:`write_report`)."""

from jixiao.report.site import write_report

__all__ = ["write_report"]
