"""Entry point of the ``prefect.yaml`` deployment: ``flows/refresh.py:refresh``.

The flow itself lives in :mod:`jixiao.pipeline.refresh`; this file only exposes it at a path a
Prefect worker can load from the project folder.
"""

from jixiao.pipeline.refresh import refresh

__all__ = ["refresh"]

if __name__ == "__main__":  # a one-off local run: python flows/refresh.py REPORTS_DIR DB_FILE
    import sys

    print(refresh(reports_dir=sys.argv[1], db_path=sys.argv[2]))
