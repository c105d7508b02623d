"""Euros as every output writes them: the budget on the console, the report's helpers.

``2 120 €``, ``−645 €/an``, ``−5 490 €/tCO2e`` (three significant digits, the locale's
separators, a true minus sign); an unknown amount reads « € inconnus » / "€ unknown", never 0.
Amounts are excluding VAT, as the model computes them (:mod:`greenit.inventory.budget`).
Presentation only: every figure comes computed (``budget`` of ``estimate --json``, the € keys
of ``scenarios``, ``levers_ranking``); the report's templates reach them as ``m``
(:class:`MoneyView`).
"""

from __future__ import annotations

from greenit.reporting.text import Words, typeset


def money_words(w: Words, key: str, /, **values: object) -> str:
    """A text of the ``money`` catalogue in ``w``'s language (typeset as ``w`` is)."""
    from greenit.i18n import text

    out = text(f"money.{key}", w.lang, **values)
    return typeset(out, w.lang) if w.nonbreaking else out


def euros(w: Words, value: float | None, *, per_year: bool = False) -> str:
    r"""An amount: ``2 120 €`` (``2 120 €/an`` with ``per_year``); unknown → « € inconnus ».

    >>> euros(Words("fr"), 2116.18), euros(Words("en"), 2116.18, per_year=True), euros(Words("fr"), None)
    ('2\u202f120\xa0€', '2,120\xa0€/yr', '€ inconnus')
    """
    if value is None:
        return money_words(w, "unknown")
    unit = money_words(w, "unit_per_year") if per_year else "€"
    return f"{w.number(value)}\u00a0{unit}"


def euros_change(w: Words, value: float | None, *, per_year: bool = True) -> str:
    r"""A change with its sign: ``−645 €/an`` (a saving), ``+12 €/an`` (a cost).

    >>> euros_change(Words("fr"), -644.68), euros_change(Words("en"), 12.0)
    ('\u2212645\xa0€/an', '+12\xa0€/yr')
    """
    if value is None:
        return money_words(w, "unknown")
    sign = "+" if value > 0 else ""
    return sign + euros(w, value, per_year=per_year)


def eur_per_tonne(w: Words, value: float | None) -> str:
    r"""Euros per tonne of CO2e avoided: ``−5 490 €/tCO2e``; none avoided or unknown → ``–``.

    >>> eur_per_tonne(Words("fr"), -5493.08), eur_per_tonne(Words("fr"), None)
    ('\u22125\u202f490\xa0€/tCO2e', '–')
    """
    if value is None:
        return "–"
    sign = "+" if value > 0 else ""
    return f"{sign}{w.number(value)}\u00a0€/tCO2e"


def euros_range(w: Words, low: float | None, high: float | None) -> str:
    r"""``1 850 – 2 800 €``; unknown when either end is; « sans fourchette » when both ends read
    the same (prices from the file are exact: « 2 320 – 2 320 € » said nothing).

    >>> euros_range(Words("fr"), 1850.0, 2800.0), euros_range(Words("en"), 2320.9, 2320.9)
    ('1\u202f850 – 2\u202f800\xa0€', 'no range')
    """
    if low is None or high is None:
        return money_words(w, "unknown")
    if w.number(low) == w.number(high):
        return money_words(w, "no_range")
    return f"{w.number(low)} – {w.number(high)}\u00a0€"


def budget_lines(budget: dict, w: Words) -> list[str]:
    """The budget in a few sentences: renewal and electricity with their ranges, what was priced."""
    lines = [
        money_words(
            w,
            "console.renewal",
            central=euros(w, budget["renewal_eur_per_year"], per_year=True),
            range=euros_range(w, budget["renewal_low_eur_per_year"], budget["renewal_high_eur_per_year"]),
        ),
        money_words(
            w,
            "console.electricity",
            central=euros(w, budget["electricity_eur_per_year"], per_year=True),
            range=euros_range(
                w, budget["electricity_low_eur_per_year"], budget["electricity_high_eur_per_year"]
            ),
        ),
    ]
    priced = budget.get("priced") or {}
    if budget.get("priced_share") is not None:
        lines.append(
            money_words(
                w,
                "console.priced",
                share=w.percent(budget["priced_share"]),
                file=w.percent(priced.get("file_share")),
                default=w.percent(priced.get("default_share")),
                unknown=w.percent(priced.get("unknown_share")),
            )
        )
    return lines


def budget_console(budget: dict | None, lang: str = "fr") -> list[tuple[str, str | None]]:
    """The ``budget`` of ``greenit estimate --json`` as console lines: (text, rich style)."""
    if not budget:
        return []
    from pathlib import Path

    w = Words(lang)
    lines: list[tuple[str, str | None]] = [(money_words(w, "console.title"), "bold")]
    lines += [("  " + line, None) for line in budget_lines(budget, w)]
    lines += [("  " + str(note), "dim") for note in budget.get("notes", [])]
    flagged = budget.get("prices_flagged") or []
    if flagged:
        lines.append((money_words(w, "console.prices_flagged", n=w.count(len(flagged))), "yellow"))
    for item in flagged[:FLAGGED_SHOWN]:
        where = w(
            "console.flagged_where", file=Path(str(item["file"])).name, line=item.get("line") or item["row"]
        )
        name = f" ({item['name']})" if item.get("name") else ""
        lines.append((f"  {where}{name}{' :' if lang == 'fr' else ':'} {item['reason']}", None))
    if len(flagged) > FLAGGED_SHOWN:
        lines.append(("  " + w("console.more_flagged", n=w.count(len(flagged) - FLAGGED_SHOWN)), None))
    return lines


#: Prices refused shown on the console (all of them in the JSON).
FLAGGED_SHOWN = 5


def lever_money_cells(row: dict, w: Words, first: bool) -> list[str]:
    """The € cells of a lever's row: its yearly change, € per tCO2e avoided."""
    if first:
        return [euros(w, row.get("budget_eur_per_year"), per_year=True), ""]
    return [
        euros_change(w, row.get("change_eur_per_year")),
        eur_per_tonne(w, row.get("eur_per_tco2e_avoided")),
    ]


def ai_budget_line(budget: dict | None, lang: str = "fr") -> str | None:
    """The ``budget`` of ``greenit ai estimate --json`` in one console line (None without one)."""
    if not budget:
        return None
    w = Words(lang)
    return money_words(
        w,
        "ai.console",
        central=euros(w, budget["electricity_eur"]),
        range=euros_range(w, budget["electricity_low_eur"], budget["electricity_high_eur"]),
        kwh=w.number(budget["own_energy_kwh"]),
        unpriced=w.count(budget["runs_not_priced"]),
    )


class MoneyView:
    """Words and figures of the euros, in the report's language."""

    def __init__(self, summary: dict, words: Words) -> None:
        self.s, self.w = summary, words
        self.budget = (summary.get("inventory") or {}).get("budget") or {}

    def __call__(self, key: str, /, **values: object) -> str:
        """Entry ``money.KEY`` of the catalogue."""
        return money_words(self.w, key, **values)

    def has_budget(self) -> bool:
        return bool(self.budget)

    def euros(self, value: float | None, per_year: bool = True) -> str:
        return euros(self.w, value, per_year=per_year)

    def change(self, value: float | None) -> str:
        return euros_change(self.w, value)

    def per_tonne(self, value: float | None) -> str:
        return eur_per_tonne(self.w, value)

    def range(self, low: float | None, high: float | None) -> str:
        return euros_range(self.w, low, high)

    def percent(self, share: float | None) -> str:
        return self.w.percent(share)

    def lever_change(self, row: dict) -> str:
        """A lever's € alone (the table's « seul » column), with how much of it is priced."""
        value = row.get("alone_change_eur_per_year", row.get("change_eur_per_year"))
        return self.change(value)

    def lever_per_tonne(self, row: dict) -> str:
        return self.per_tonne(row.get("alone_eur_per_tco2e_avoided", row.get("eur_per_tco2e_avoided")))

    def partly_priced(self) -> bool:
        """Whether a lever's € covers only part of the devices it changes (said under the table)."""
        return any((r.get("change_priced_share") or 1.0) < 1.0 for r in self.s.get("scenarios", [])[1:])

    def unknown_levers(self) -> bool:
        return any(r.get("change_eur_per_year") is None for r in self.s.get("scenarios", [])[1:])

    def ranking(self) -> list[dict]:
        return self.s.get("levers_ranking") or []
