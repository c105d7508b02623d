"""Emission-factor tables: loading, overlaying a user's tables, validating, looking rows up.

The names below are imported on first use, so that :mod:`greenit.factors.grid` (the grid
factor option's check, pure Python) can be imported without pandas and pint.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from greenit.factors.load import load_factors, load_factors_unvalidated
    from greenit.factors.tables import TABLE_SPECS, FactorSet, default_factors_dir, packaged_version
    from greenit.factors.validate import validate

_EXPORTS = {
    "TABLE_SPECS": "greenit.factors.tables",
    "FactorSet": "greenit.factors.tables",
    "default_factors_dir": "greenit.factors.tables",
    "load_factors": "greenit.factors.load",
    "load_factors_unvalidated": "greenit.factors.load",
    "packaged_version": "greenit.factors.tables",
    "validate": "greenit.factors.validate",
}

__all__ = [
    "TABLE_SPECS",
    "FactorSet",
    "default_factors_dir",
    "load_factors",
    "load_factors_unvalidated",
    "packaged_version",
    "validate",
]


def __getattr__(name: str):
    from greenit.exports import exported

    return exported(__name__, _EXPORTS, name)
