"""A package's public names, imported from their modules only when first used (PEP 562).

``greenit``, :mod:`greenit.factors` and :mod:`greenit.results` list each name they export with
the module it lives in, and their module ``__getattr__`` calls :func:`exported`: ``import
greenit`` (and ``greenit --help``) imports no pandas, and ``greenit estimate`` imports no report
module. Nothing is imported here but :mod:`importlib`.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Mapping


def exported(package: str, exports: Mapping[str, str], name: str, *, keep: bool = True) -> object:
    """``name`` of ``package``, imported from the module ``exports`` names for it.

    ``keep``: the value is set on the package, so that the next look-up does not come back here.
    An unknown name is an AttributeError, as for any module.
    """
    if name not in exports:
        raise AttributeError(f"module {package!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(exports[name]), name)
    if keep:
        setattr(sys.modules[package], name, value)
    return value
