"""The summary of a town's services file: each service's footprint, the lines flagged, totals.

Services bought (BEGES poste 4.5) and the town's own consumables purchases (poste 4.1) are
summed apart: the first add ``services_kgco2e`` to the totals, the second replace the printers'
own consumables estimate in ``consumables_kgco2e``. Every line is either estimated or in
``flagged`` with its file and line.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from greenit.flags import code_of
from greenit.i18n import get_language, text
from greenit.results.jsonsafe import significant

CONSUMABLES = "consumables"
#: Columns of each service line in the JSON (``services.lines``), in order.
LINE_COLUMNS = ("quantity_used", "factor_id", "kgco2e", "kgco2e_low", "kgco2e_high", "confidence", "poste")


@dataclass
class ServicesSummary:
    """What the outputs show of the services file(s) (see the module docstring)."""

    lines: pd.DataFrame  # from greenit.services.estimate.estimate_services
    files: list[str] = field(default_factory=list)
    columns: dict = field(default_factory=dict)  # headers used and ignored
    read: pd.DataFrame | None = None  # the lines as read, before estimating (a recorded year keeps them)

    def _estimated(self, consumables: bool) -> pd.DataFrame:
        lines = self.lines
        is_consumables = (lines["nature"] == CONSUMABLES).to_numpy()
        mask = (lines["estimate_status"] == "estimated").to_numpy() & (is_consumables == consumables)
        return lines[mask]

    def services_total(self) -> tuple[float, float, float]:
        """Services bought [kgCO2e/year]: central, low, high (consumables purchases apart)."""
        kept = self._estimated(False)
        return tuple(float(kept[c].sum()) for c in ("kgco2e", "kgco2e_low", "kgco2e_high"))  # type: ignore[return-value]

    def consumables_total(self) -> tuple[float, float, float]:
        """The town's own consumables purchases [kgCO2e/year]: central, low, high."""
        kept = self._estimated(True)
        return tuple(float(kept[c].sum()) for c in ("kgco2e", "kgco2e_low", "kgco2e_high"))  # type: ignore[return-value]

    @property
    def consumables_purchased(self) -> bool:
        """Whether the town gives its own consumables purchases (they replace the printers')."""
        return len(self._estimated(True)) > 0

    def records(self, lang: str | None = None) -> list[dict]:
        """Every line estimated, largest first: service, nature and its label, what was used."""
        lang = lang or get_language()
        kept = self.lines[(self.lines["estimate_status"] == "estimated").to_numpy()]
        kept = kept.sort_values("kgco2e", ascending=False, kind="stable")
        out = []
        for _, line in kept.iterrows():
            used = line["quantity_used"]
            out.append(
                {
                    "file": str(line["file"]),
                    "line": int(line["line"]),
                    "service": _text(line["service"]),
                    "nature": line["nature"],
                    "nature_label": text(f"services.nature.{line['nature']}", lang),
                    "quantity": float(line[used]) if used else None,
                    "quantity_label": text(f"services.quantity.{used}", lang) if used else None,
                    **{c: _value(line[c]) for c in LINE_COLUMNS},
                    "note": _unused(line, used, lang),
                }
            )
        return out

    def flagged(self, lang: str | None = None) -> list[dict]:
        """The lines that could not be estimated, each with its file, line and reason."""
        lines = self.lines[(self.lines["estimate_status"] == "flagged").to_numpy()]
        return [
            {
                "row": int(line["row"]),
                "line": int(line["line"]),
                "file": str(line["file"]),
                "name": _text(line["service"]),
                "reason": line["reason"],
                "reason_code": code_of(line["reason"]),
                "source": "services",
            }
            for _, line in lines.iterrows()
        ]

    def to_json(self, lang: str | None = None) -> dict:
        """``services`` of ``estimate --json`` and ``summary.json`` (not yet strict: the caller's
        ``json_ready`` renders the reasons).
        """
        central, low, high = self.services_total()
        bought = self.consumables_total()
        estimated = int((self.lines["estimate_status"] == "estimated").sum())
        return {
            "files": self.files,
            "lines_in": len(self.lines),
            "lines_estimated": estimated,
            "lines_flagged": len(self.lines) - estimated,
            "services_kgco2e": significant(central),
            "services_low_kgco2e": significant(low),
            "services_high_kgco2e": significant(high),
            "consumables_purchased": self.consumables_purchased,
            "consumables_purchased_kgco2e": significant(bought[0]),
            "lines": self.records(lang),
            "flagged": self.flagged(lang),
            "columns": self.columns,
        }


def _unused(line: pd.Series, used: str | None, lang: str) -> str | None:
    """What the line gives that was not used, and what was (« utilisateurs donnés, non utilisés :
    dépense (€ HT) retenue »): none is ignored without saying so. None when all was used.
    """
    from greenit.services.read import QUANTITIES

    unused = [c for c in QUANTITIES if c != used and c in line.index and pd.notna(line[c])]
    if not used or not unused:
        return None
    given = ", ".join(text(f"services.quantity.{c}", lang) for c in unused)
    return text("services.unused", lang, given=given, used=text(f"services.quantity.{used}", lang))


def _text(value: object) -> str | None:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    return str(value)


def _value(value: object) -> object:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    return value.item() if hasattr(value, "item") else value
