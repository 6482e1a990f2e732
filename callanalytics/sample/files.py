"""Both samples on disk, in their wire formats and as Parquet."""

from __future__ import annotations

from pathlib import Path

from callanalytics.readers import read_dialer_results, read_leadflow_history
from callanalytics.sample.dialer import sample_dialer_results
from callanalytics.sample.leadflow import sample_leadflow_history


def write_sample_files(
    directory: str | Path, *, n_dialer: int = 5_000, n_leadflow: int = 3_000, seed: int = 0
) -> dict[str, Path]:
    """Write both samples in their wire formats (CSV, JSON) and as Parquet.

    Returns the paths written, keyed ``dialer_csv``, ``dialer_parquet``, ``leadflow_json``
    and ``leadflow_parquet``. The dialer leads include callbacks of the LeadFlow callers.

    Example:
        >>> import tempfile
        >>> paths = write_sample_files(tempfile.mkdtemp(), n_dialer=50, n_leadflow=50)
        >>> sorted(paths)
        ['dialer_csv', 'dialer_parquet', 'leadflow_json', 'leadflow_parquet']
    """
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    paths = {
        "dialer_csv": out / "dialer_results.csv",
        "dialer_parquet": out / "dialer_results.parquet",
        "leadflow_json": out / "leadflow_history.json",
        "leadflow_parquet": out / "leadflow_history.parquet",
    }
    dialer = sample_dialer_results(n_dialer, seed=seed, leadflow_n=n_leadflow, raw=True)
    leadflow = sample_leadflow_history(n_leadflow, seed=seed, raw=True)
    paths["dialer_csv"].write_bytes(dialer)
    paths["leadflow_json"].write_bytes(leadflow)
    read_dialer_results(dialer).write_parquet(paths["dialer_parquet"])
    read_leadflow_history(leadflow).write_parquet(paths["leadflow_parquet"])
    return paths
