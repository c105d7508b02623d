"""The console of ``greenit history``: what was recorded, the years, a comparison, a target.

Each function takes the object the command prints with ``--json`` and names the history file
it read or wrote (every output says which file: the default one sits in the current folder).
"""

from __future__ import annotations

from pathlib import Path

from greenit.reporting.console import _console, _table
from greenit.reporting.evolution import change_sentence, gap_sentence, hw, reuse_sentence
from greenit.reporting.text import Words

#: Rows of a comparison's categories and departments shown on the console (all in --json).
GROUPS_SHOWN = 8


def _words(lang: str, total_kgco2e: float) -> Words:
    return Words.for_total(lang, total_kgco2e)


def _organisation(name: str | None, w: Words) -> str:
    return name if name else hw(w, "console.no_organisation")


def _of(name: str | None) -> str:
    """`` (NAME)`` after a year, nothing for a history that names no organisation."""
    return f" ({name})" if name else ""


def signed(w: Words, kgco2e: float) -> str:
    """A change with its sign: ``+0,889 tCO2e``, ``−2,56 tCO2e``."""
    return ("+" if kgco2e > 0 else "") + w.mass_change(kgco2e)


def print_file(path: str | Path, lang: str = "fr") -> None:
    _console().print(hw(Words(lang), "console.file", path=str(path)), style="dim", markup=False)


def print_added(entry: dict, path: str | Path, lang: str = "fr", *, replaced: bool = False) -> None:
    w = _words(lang, entry["total_kgco2e"])
    key = "console.replaced" if replaced else "console.added"
    _console().print(
        hw(
            w,
            key,
            year=entry["year"],
            organisation=_of(entry["organisation"]),
            total=w.mass(entry["total_kgco2e"]),
            range=w.mass_range(entry["total_low_kgco2e"], entry["total_high_kgco2e"]),
            version=entry["factors_version"],
        ),
        markup=False,
    )
    print_file(path, lang)


def print_removed(entry: dict, path: str | Path, lang: str = "fr") -> None:
    w = _words(lang, entry["total_kgco2e"])
    _console().print(
        hw(w, "console.removed", year=entry["year"], organisation=_of(entry["organisation"])), markup=False
    )
    print_file(path, lang)


def print_entries(entries: list[dict], path: str | Path, lang: str = "fr") -> None:
    """One line per recorded year: organisation, total with range, factors, target."""
    if not entries:
        _console().print(hw(Words(lang), "console.empty"), markup=False)
        print_file(path, lang)
        return
    w = _words(lang, max(e["total_kgco2e"] for e in entries))
    columns = ["organisation", "year", "total", "range", "factors", "target", "recorded"]
    table = _table(
        hw(w, "console.list_title", unit=w.unit_per_year),
        [(hw(w, f"column.{c}"), "right" if c in ("total", "range", "target") else "left") for c in columns],
    )
    for e in entries:
        table.add_row(
            _organisation(e["organisation"], w),
            str(e["year"]),
            w.mass_value(e["total_kgco2e"]),
            f"{w.mass_value(e['total_low_kgco2e'])} – {w.mass_value(e['total_high_kgco2e'])}",
            str(e["factors_version"]),
            "–" if e["target_kgco2e"] is None else w.mass_value(e["target_kgco2e"]),
            str(e.get("recorded_at", ""))[:10],
        )
    _console().print(table)
    print_file(path, lang)


def print_year(shown: dict, path: str | Path, lang: str = "fr") -> None:
    """One recorded year: its totals, how it was estimated, its inputs."""
    w = _words(lang, shown["total_kgco2e"])
    console = _console()
    console.print(
        hw(
            w,
            "console.show",
            year=shown["year"],
            organisation=_of(shown["organisation"]),
            total=w.mass(shown["total_kgco2e"]),
            range=w.mass_range(shown["total_low_kgco2e"], shown["total_high_kgco2e"]),
            version=shown["factors_version"],
            greenit=shown["greenit_version"],
            date=str(shown["recorded_at"])[:10],
        ),
        markup=False,
    )
    method = w(f"method_short.{shown['options'].get('method', 'amortised')}")
    rows = shown.get("rows_kept", {})
    console.print(
        hw(w, "console.show_method", method=method, rows=w.count(rows.get("inventory", 0))), markup=False
    )
    for item in shown["inputs"]:
        console.print(f"  {item['name']}  sha256:{item['sha256'][:16]}…", style="dim", markup=False)
    print_file(path, lang)


def _phase_table(comparison: dict, w: Words):
    table = _table(
        hw(
            w,
            "console.compare_phases",
            a=comparison["from"]["year"],
            b=comparison["to"]["year"],
            unit=w.unit_per_year,
        ),
        [
            (hw(w, "column.phase"), "left"),
            *((hw(w, f"column.{c}"), "right") for c in ("from", "to", "change")),
        ],
    )
    for row in comparison["by_phase"]:
        table.add_row(
            hw(w, f"phase.{row['phase']}"),
            w.mass_value(row["from_kgco2e"]),
            w.mass_value(row["to_kgco2e"]),
            signed(w, row["change_kgco2e"]),
        )
    table.add_section()
    table.add_row(
        hw(w, "row.total"),
        w.mass_value(comparison["from"]["total_kgco2e"]),
        w.mass_value(comparison["to"]["total_kgco2e"]),
        signed(w, comparison["change_kgco2e"]),
        style="bold",
    )
    return table


def _driver_table(comparison: dict, w: Words):
    table = _table(
        hw(w, "console.compare_drivers"),
        [(hw(w, "column.driver"), "left"), (hw(w, "column.change"), "right")],
    )
    for row in comparison["drivers"]:
        if abs(row["total_kgco2e"]) >= 0.0005 or row["driver"] in ("past_lifespan", "more_or_fewer_devices"):
            table.add_row(hw(w, f"driver.{row['driver']}"), signed(w, row["total_kgco2e"]))
    return table


def _category_table(comparison: dict, w: Words):
    table = _table(
        hw(
            w,
            "console.compare_categories",
            n=min(GROUPS_SHOWN, len(comparison["by_category"])),
            unit=w.unit_per_year,
        ),
        [
            (hw(w, "column.category"), "left"),
            *((hw(w, f"column.{c}"), "right") for c in ("devices", "from", "to", "change")),
        ],
    )
    for row in comparison["by_category"][:GROUPS_SHOWN]:
        table.add_row(
            str(row.get("label") or row["category"]),
            f"{w.count(row['from_quantity'])} → {w.count(row['to_quantity'])}",
            w.mass_value(row["from_kgco2e"]),
            w.mass_value(row["to_kgco2e"]),
            signed(w, row["change_kgco2e"]),
        )
    return table


def print_comparison(comparison: dict, path: str | Path, lang: str = "fr") -> None:
    """The sentence, the phases, what moved the change, the categories that moved most."""
    w = _words(lang, max(comparison["from"]["total_kgco2e"], comparison["to"]["total_kgco2e"]))
    console = _console()
    console.print(
        change_sentence(comparison_change(comparison), w, comparison["from"].get("organisation")),
        markup=False,
    )
    console.print(_phase_table(comparison, w))
    console.print(_driver_table(comparison, w))
    console.print(_category_table(comparison, w))
    key = "console.compare_restated" if comparison["restated"] else "console.compare_recorded"
    console.print(
        hw(w, key, a=comparison["from"]["year"], version=comparison["from"]["factors_version"]),
        style="dim",
        markup=False,
    )
    if comparison.get("organisations_left_out"):
        names = ", ".join(_organisation(n, w) for n in comparison["organisations_left_out"])
        console.print(hw(w, "console.left_out", names=names), markup=False)
    print_file(path, lang)


def comparison_change(comparison: dict) -> dict:
    """A comparison's change as the sentence takes it."""
    return {
        "from_year": comparison["from"]["year"],
        "to_year": comparison["to"]["year"],
        "from_kgco2e": comparison["from"]["total_kgco2e"],
        "to_kgco2e": comparison["to"]["total_kgco2e"],
        "change_kgco2e": comparison["change_kgco2e"],
        "change_share": comparison["change_share"],
        "from_restated": comparison["restated"],
    }


def print_target(section: dict, path: str | Path, lang: str = "fr") -> None:
    """Each year on one method against the trajectory, and the reuse rate against décret 2023-266."""
    years = section["years"]
    w = _words(lang, max([p["total_kgco2e"] for p in years] or [0.0]))
    target = section["target"]
    console = _console()
    console.print(
        hw(
            w,
            "console.target",
            reduction=w.percent(target["reduction"]),
            by=target["target_year"],
            baseline=target["baseline_year"],
            start=w.mass(target["baseline_kgco2e"]),
            end=w.mass(target["target_kgco2e"]),
        ),
        markup=False,
    )
    columns = ["year", "total", "target", "gap", "reuse"]
    table = _table(
        hw(w, "console.target_title", unit=w.unit_per_year),
        [(hw(w, f"column.{c}"), "left" if c == "year" else "right") for c in columns],
    )
    for p in years:
        mark = f" {hw(w, 'row.restated')}" if p["restated"] else ""
        reuse = (
            w.unknown()
            if p["reuse_rate"] is None
            else f"{w.percent(p['reuse_rate'])} / {w.percent(p['reuse_target'])}"
        )
        gap = "–" if p["gap_kgco2e"] is None else signed(w, p["gap_kgco2e"])
        target_value = "–" if p["target_kgco2e"] is None else w.mass_value(p["target_kgco2e"])
        table.add_row(f"{p['year']}{mark}", w.mass_value(p["total_kgco2e"]), target_value, gap, reuse)
    console.print(table)
    if years:
        last = {**section, "year": years[-1]["year"], "gap": _gap(years[-1])}
        for sentence in (gap_sentence(last, w), reuse_sentence(last, w)):
            if sentence:
                console.print(sentence, markup=False)
    console.print(hw(w, "console.target_method"), style="dim", markup=False)
    print_file(path, lang)


def _gap(point: dict) -> dict | None:
    if point.get("target_kgco2e") is None:
        return None
    return {k: point[k] for k in ("year", "total_kgco2e", "target_kgco2e", "gap_kgco2e")}
