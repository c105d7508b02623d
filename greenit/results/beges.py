"""The headline total split by BEGES poste (bilan d'émissions de gaz à effet de serre, method v5).

Each part of the headline goes to one poste, so the postes add up to the total:

- **2.1** indirect emissions of the electricity consumed: the devices' use;
- **4.1** purchased goods: consumables (the printers' toner), when the scope gives them;
- **4.2** fixed assets (immobilisations de biens): the devices' manufacture, amortised over their
  lifespan (``amortised``) or counted in the purchase year (``flux``);
- **4.3** waste: the devices' end of life;
- **4.5** purchased services: services bought (``--services``) and the uses of AI (hosted models
  and runs on rented accelerators).

A poste is listed only when the total has a part in it. Low and high are the sums of the
parts' own bounds (the end of life has none: its central value).
"""

from __future__ import annotations

from greenit.i18n import msg

#: poste → (category, the headline's parts in it: central key, low key, high key)
POSTES: dict[str, tuple[int, tuple[tuple[str, str | None, str | None], ...]]] = {
    "2.1": (2, (("use_kgco2e", "use_low_kgco2e", "use_high_kgco2e"),)),
    "4.1": (4, (("consumables_kgco2e", "consumables_low_kgco2e", "consumables_high_kgco2e"),)),
    "4.2": (4, (("manufacture_kgco2e", "manufacture_low_kgco2e", "manufacture_high_kgco2e"),)),
    "4.3": (4, (("end_of_life_kgco2e", None, None),)),
    "4.5": (
        4,
        (
            ("services_kgco2e", "services_low_kgco2e", "services_high_kgco2e"),
            ("ai_kgco2e", "ai_low_kgco2e", "ai_high_kgco2e"),
        ),
    ),
}


def beges_postes(figures: dict, method: str) -> list[dict]:
    """The postes the total falls in: poste, category, label, method, kgco2e, low and high.

    ``figures``: the headline with the inventory's bounds per phase and the AI's (see
    :meth:`greenit.results.FootprintResult.to_json`); a part missing or None is not there.

    >>> rows = beges_postes({"use_kgco2e": 2.0, "use_low_kgco2e": 1.0, "use_high_kgco2e": 4.0,
    ...                      "manufacture_kgco2e": 10.0, "end_of_life_kgco2e": 0.5}, "amortised")
    >>> [(r["poste"], r["kgco2e"], r["low_kgco2e"], r["high_kgco2e"]) for r in rows]
    [('2.1', 2.0, 1.0, 4.0), ('4.2', 10.0, 10.0, 10.0), ('4.3', 0.5, 0.5, 0.5)]
    """
    rows = []
    for poste, (category, parts) in POSTES.items():
        central = low = high = 0.0
        present = False
        for key, low_key, high_key in parts:
            value = figures.get(key)
            if value is None or (key == "consumables_kgco2e" and not value):
                continue
            present = True
            central += value
            low += _bound(figures, low_key, value)
            high += _bound(figures, high_key, value)
        if present and (central or poste in ("2.1", "4.2")):
            code = poste.replace(".", "_")
            rows.append(
                {
                    "poste": poste,
                    "category": category,
                    "label": msg(f"council.beges.poste_{code}"),
                    "method": msg(
                        f"council.beges.method_{code}_{method}"
                        if poste == "4.2"
                        else f"council.beges.method_{code}"
                    ),
                    "kgco2e": central,
                    "low_kgco2e": low,
                    "high_kgco2e": high,
                }
            )
    return rows


def _bound(figures: dict, key: str | None, central: float) -> float:
    value = figures.get(key) if key else None
    return central if value is None else float(value)
