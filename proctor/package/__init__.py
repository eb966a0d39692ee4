"""The exam package on disk (format 1): load, validate, write; demo packages in .demo."""

from proctor.package.loader import (
    PackageError,
    fingerprint,
    load_package,
    parse_files,
    read_files,
)
from proctor.package.writer import package_files, write_package

__all__ = [
    "PackageError",
    "fingerprint",
    "load_package",
    "package_files",
    "parse_files",
    "read_files",
    "write_package",
]
