"""Emission-factor tables: loading, overlaying a user's tables, validating, looking rows up."""

from greenit.factors.load import load_factors, load_factors_unvalidated
from greenit.factors.tables import TABLE_SPECS, FactorSet, default_factors_dir, packaged_version
from greenit.factors.validate import validate

__all__ = [
    "TABLE_SPECS",
    "FactorSet",
    "default_factors_dir",
    "load_factors",
    "load_factors_unvalidated",
    "packaged_version",
    "validate",
]
