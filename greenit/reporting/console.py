"""Console rendering of computed results (rich tables): presentation only, numbers come computed.

Every function takes the JSON object of a command (``--json``), so what the console shows and
what a script reads are the same figures; words come from the catalogue, numbers from
:class:`~greenit.reporting.text.Words`.
"""

from __future__ import annotations

from pathlib import Path

from greenit.i18n import text
from greenit.reporting.criteria import print_criteria
from greenit.reporting.periods import period_sentences
from greenit.reporting.scope import headline_scope, print_scope
from greenit.reporting.text import Words, per_request_lines


def _console(stderr: bool = False):
    import sys

    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    width = None if stream.isatty() else 110  # pipes and CI logs: wide enough for the table
    return Console(stderr=stderr, highlight=False, width=width)


def _table(title: str, columns: list[tuple[str, str]]):
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    for header, justify in columns:
        table.add_column(header, justify=justify)  # type: ignore[arg-type]  # "left" or "right"
    return table


def has_consumables(result: dict) -> bool:
    """Whether a category has toner (BEGES 4.1): its column is shown, so each row adds up."""
    return any(group.get("consumables_kgco2e") for group in result["by_category"])


def _category_rows(table, result: dict, w: Words) -> None:
    toner = has_consumables(result)
    for group in result["by_category"]:
        table.add_row(
            w.category(group),
            w.count(group["quantity"]),
            *(w.mass_value(group[k]) for k in ("manufacture_kgco2e", "use_kgco2e")),
            _end_of_life(group, w),
            *([w.mass_value(group.get("consumables_kgco2e") or 0.0)] if toner else []),
            w.mass_value(group["total_kgco2e"]),
            f"{w.mass_value(group['total_low_kgco2e'])} – {w.mass_value(group['total_high_kgco2e'])}",
        )
    t = result["totals"]
    services = result.get("services")
    if services:  # bought, not devices: no manufacture/use split (consumables bought: 4.1, exact)
        table.add_section()
        rows = [("row.services", *(services[f"services{b}_kgco2e"] for b in ("", "_low", "_high")))]
        if services["consumables_purchased"]:
            rows.append(("row.consumables_bought", *[services["consumables_purchased_kgco2e"]] * 3))
        for key, central, low, high in rows:
            span = f"{w.mass_value(low)} – {w.mass_value(high)}"
            table.add_row(w(key), "", "", "", "", *([""] if toner else []), w.mass_value(central), span)
    table.add_section()
    table.add_row(
        text("council.console.total_equipment", w.lang),  # the AI and services are not in it
        w.count(sum(g["quantity"] for g in result["by_category"])),
        *(w.mass_value(t[k]) for k in ("manufacture_kgco2e", "use_kgco2e", "end_of_life_kgco2e")),
        *([w.mass_value(t.get("consumables_kgco2e") or 0.0)] if toner else []),
        w.mass_value(t["total_kgco2e"]),
        f"{w.mass_value(t['total_low_kgco2e'])} – {w.mass_value(t['total_high_kgco2e'])}",
        style="bold",
    )


def _end_of_life(group: dict, w: Words) -> str:
    """« – » where the category's factor row has no end-of-life value (not available, not 0)."""
    if group.get("end_of_life_factor", True):
        return w.mass_value(group["end_of_life_kgco2e"])
    return w("not_in_table")


def print_inventory(result: dict, lang: str = "fr") -> None:
    """Totals by category, the coverage, the flagged rows: the ``greenit estimate`` screen."""
    w = Words.for_total(lang, result["totals"]["total_kgco2e"])
    console = _console()
    title = w(
        "console.footprint_title",
        year=result["year"],
        unit=w.unit_per_year,
        method=w(f"method_short.{result['method']}"),
    )
    headers = ["column.category", "column.quantity", "column.manufacture", "column.use", "column.end_of_life"]
    headers += ["column.consumables"] if has_consumables(result) else []  # each row adds up
    table = _table(
        title,
        [(w(h), "left" if h == "column.category" else "right") for h in headers]
        + [(w("column.total"), "right"), (w("column.range"), "right")],
    )
    _category_rows(table, result, w)
    console.print(table)
    console.print(w("console.energy", kwh=w.number(result["totals"]["use_kwh"])))
    console.print(
        w(
            "note.rows_read",
            rows_in=w.count(result["rows_in"]),
            estimated=w.count(result["rows_estimated"]),
            flagged=w.count(result["rows_flagged"]),
        )
    )
    _print_grid_override(console, result, w)
    print_scope(console, result, w)  # the room's PUE, consumables, services, the lifespan rule
    _print_coverage(console, result, w)
    defaults = result["defaults_used"]
    console.print(
        w(
            "note.defaults",
            lifespan=w.count(defaults["lifespan"]),
            energy=w.count(defaults["energy"]),
            purchase_date=w.count(defaults["purchase_date"]),
        ),
        style="dim",
    )
    print_flagged(result["flagged"], lang)
    print_criteria(console, result, Words(lang))  # ADPe, primary energy, water (issue 23)
    from greenit.reporting.euros import budget_console

    for line, style in budget_console(result.get("budget"), lang):
        console.print(line, style=style, markup=False)
    console.print(w("console.factors", version=result["factors_version"], year=result["year"]), style="dim")


def print_per_person(result: dict, lang: str = "fr") -> None:
    """``Par personne : 35,2 kgCO2e par agent (1 000 agents)…`` when a headcount or population is given."""
    w = Words(lang)
    parts = []
    if result.get("per_agent_kgco2e") is not None:
        mass = w.small_mass(result["per_agent_kgco2e"])
        parts.append(text("council.synthesis.per_agent", lang, mass=mass, n=w.count(result["headcount"])))
    if result.get("per_inhabitant_kgco2e") is not None:
        mass = w.small_mass(result["per_inhabitant_kgco2e"])
        parts.append(
            text("council.synthesis.per_inhabitant", lang, mass=mass, n=w.count(result["population"]))
        )
    if parts:
        _console().print(
            text("council.console.per_person", lang, parts=text("council.and", lang).join(parts))
        )


def print_written(paths: list, lang: str = "fr") -> None:
    """The files a command wrote beside its console output (``--rows-out``, ``--xlsx-out``)."""
    if paths:
        w = Words(lang)
        _console().print(
            w("console.written", files=", ".join(str(p) for p in paths)), style="dim", markup=False
        )


def _print_grid_override(console, result: dict, w: Words) -> None:
    grid = result.get("grid_factor_override_kg_per_kwh")
    if grid is not None:  # a figure the user imposed: said where the total is read
        console.print(w("console.grid_override", grams=w.number(grid * 1000)), markup=False)


def _print_coverage(console, result: dict, w: Words) -> None:
    after = result.get("purchased_after_year") or 0
    if after:  # a plausible but wrong --year gives zeros: say it next to the total
        console.print(
            w("console.purchased_after", n=w.count(after), year=result["year"]),
            style="bold yellow",
            markup=False,
        )
    repeated = result.get("duplicate_rows") or 0
    if repeated:  # the same device in two files (or twice in one): said where the total is read
        console.print(w("console.duplicate_rows", n=w.count(repeated)), markup=False)
    coverage = result.get("coverage") or {}
    if coverage.get("warning"):
        console.print(
            w(
                "console.coverage_warning",
                rows=w.percent(1 - coverage["rows"]),
                quantity=w.percent(1 - coverage["quantity"]),
            ),
            style="bold red",
            markup=False,
        )


def print_flagged(flagged: list[dict], lang: str = "fr", limit: int = 8) -> None:
    """The first flagged rows, each by file, spreadsheet line and device name, with its reason."""
    if not flagged:
        return
    w = Words(lang)
    console = _console()
    console.print(w("console.flagged_title", n=w.count(len(flagged))), style="yellow", markup=False)
    for item in flagged[:limit]:
        where = w(
            "console.flagged_where", file=Path(str(item["file"])).name, line=item.get("line") or item["row"]
        )
        name = item.get("name") or item.get("run_id")
        label = f"{where} ({name})" if name else where
        console.print(
            f"  {label} : {item['reason']}" if lang == "fr" else f"  {label}: {item['reason']}", markup=False
        )
    if len(flagged) > limit:
        console.print("  " + w("console.more_flagged", n=w.count(len(flagged) - limit)), markup=False)


def print_workloads(result: dict, lang: str = "fr") -> None:
    """AI runs by project and phase: energy, usage and embodied emissions."""
    w = Words(lang)
    console = _console()
    t = result["totals"]
    # small runs read in Wh and gCO2e (« 0,123 Wh », not « 0,000123 kWh »), as in the report
    wh = w.display([t["energy_kwh"], *(g["energy_kwh"] for g in result["by_project"])], "energy")[1] == "Wh"
    grams = w.display([t["total_kgco2e"], *(g["total_kgco2e"] for g in result["by_project"])], "mass")[0] < 1
    masses = ("ai.column_usage_g", "ai.column_embodied_g", "ai.column_total_g")
    if not grams:
        masses = ("column.ai_usage", "column.ai_embodied", "column.ai_total")
    columns = [
        ("column.project", "left"),
        ("column.phase", "left"),
        ("column.runs", "right"),
        ("ai.column_wh" if wh else "column.kwh", "right"),
        *((key, "right") for key in masses),
    ]
    table = _table(w("console.ai_title"), [(w(key), justify) for key, justify in columns])

    def figures(values: dict) -> list[str]:
        energy = w.number(values["energy_kwh"] * (1000 if wh else 1))
        scale = 1000 if grams else 1
        kinds = ("usage_kgco2e", "embodied_kgco2e", "total_kgco2e")
        return [energy, *(w.number(values[k] * scale) for k in kinds)]

    for group in result["by_project"]:
        project, phase = w.text_or_unknown(group["project"]), w.phase(group["phase"])
        table.add_row(project, phase, w.count(group["runs"]), *figures(group))
    table.add_section()
    table.add_row(w("row.total"), "", w.count(result["runs_estimated"]), *figures(t), style="bold")
    console.print(table)
    for line in per_request_lines(result["runs"], w):
        console.print("  " + line, markup=False)
    print_criteria(console, result, w, ai=True)
    if result.get("hosted"):
        _print_hosted(result["hosted"], w)
    for sentence in period_sentences(result.get("periods"), lang):
        console.print(sentence, markup=False)
    coverage = result.get("coverage") or {}
    if coverage.get("warning"):
        share = w.percent(1 - coverage["runs"])
        warning = text("rows.runs_coverage_warning", lang, share=share)
        console.print(warning, style="bold red", markup=False)
    console.print(
        w(
            "console.runs_read",
            runs=w.count(result["runs_in"]),
            estimated=w.count(result["runs_estimated"]),
            flagged=w.count(result["runs_flagged"]),
        )
    )
    print_flagged(result["flagged"], lang)
    from greenit.reporting.euros import ai_budget_line

    money = ai_budget_line(result.get("budget"), lang)
    if money:
        console.print(money, markup=False)


def _print_hosted(hosted: dict, w: Words) -> None:
    """How far the providers' own published figures are from EcoLogits for the same request."""
    from greenit.i18n import text

    spread = hosted.get("references_spread") or {}
    if spread.get("lowest_ratio") is not None:
        low, high = w.number(spread["lowest_ratio"]), w.number(spread["highest_ratio"])
        _console().print(text("hosted.console.spread", w.lang, low=low, high=high), markup=False)


def print_levers(
    records: list[dict], lang: str = "fr", *, cumulative: bool = False, year: int | None = None
) -> None:
    """Baseline and levers: total, change against the baseline (records of ``scenario --json``)."""
    from greenit.reporting.euros import lever_money_cells, money_words

    w = Words.for_total(lang, records[0]["total_kgco2e"] if records else 0.0)
    title = w("console.levers_cumulative" if cumulative else "console.levers_alone", year=year)
    table = _table(
        title,
        [
            (w("column.lever"), "left"),
            (w("column.total"), "right"),
            (w("console.change"), "right"),
            (w("column.cumulated" if cumulative else "console.change_share"), "right"),
            (money_words(w, "column.change_eur"), "right"),
            (money_words(w, "column.eur_per_tonne"), "right"),
        ],
    )

    for i, row in enumerate(records):
        change = "" if i == 0 else w.mass_change(row["change_kgco2e"])
        share = "" if i == 0 else w.percent(row["change_share"])
        money = lever_money_cells(row, w, first=i == 0)
        table.add_row(
            str(row.get("label", row.get("scenario"))), w.mass(row["total_kgco2e"]), change, share, *money
        )
    _console().print(table)


def print_columns(result: dict, lang: str = "fr", *, limit: int = 14) -> None:
    """What became of the file's headers, in two short lines (greenit ignores nothing in silence).

    GLPI's long tab prefixes are shortened to « … - » on screen (the JSON keeps them whole).
    """
    from greenit.i18n import text
    from greenit.parsing.headers import split_group

    def short(header: str) -> str:
        group, name = split_group(header)
        return header if group is None or len(header) <= 40 else f"… - {name}"

    columns = result.get("columns") or {}
    used, ignored = columns.get("used", {}), columns.get("ignored", [])
    console = _console()
    shown = [f"{short(header)} → {canonical}" for header, canonical in list(used.items())[:limit]]
    more = "…" if len(used) > limit else ""
    console.print(text("inventory.console.columns_used", lang, count=len(used), used=", ".join(shown) + more))
    if ignored:
        names = ", ".join(short(h) for h in ignored[:limit]) + ("…" if len(ignored) > limit else "")
        console.print(
            text("inventory.console.columns_ignored", lang, count=len(ignored), ignored=names), style="dim"
        )
    for file in columns.get("files", []):
        for note in file.get("notes", []):
            console.print(f"{file['file']}: {note}", style="dim")


def print_report_written(summary: dict, files: list[Path], out_dir: Path, lang: str = "fr") -> None:
    """After ``greenit report``: the headline total with its range and what it includes, the
    coverage warning when there is one, then every file written (as its path was given).
    """
    h = summary["headline"]
    w = Words.for_total(lang, h["total_kgco2e"], nonbreaking=True)
    console = _console()
    headline = w(
        "console.report_headline",
        title=w("headline.total", year=summary["year"]),
        total=w.mass(h["total_kgco2e"]),
        range=w("headline.range", range=w.mass_range(h["total_low_kgco2e"], h["total_high_kgco2e"])),
    )
    console.print(headline, style="bold", markup=False)
    console.print(_includes(h, w), markup=False)
    also = headline_scope(summary, w)
    if also:
        console.print(also, markup=False)
    warning = (summary.get("coverage") or {}).get("warning")
    if warning:
        console.print(w("headline.coverage_warning"), style="bold yellow", markup=False)
    console.print(w("console.files_written", n=w.count(len(files)), folder=str(out_dir)), markup=False)
    for path in files:
        console.print(f"  {path}", markup=False, soft_wrap=True)


def _includes(h: dict, w: Words) -> str:
    if h.get("ai_hosted_rows"):
        return w(
            "headline.includes_ai_hosted",
            devices=w.count(h["devices"]),
            runs=w.count(h.get("ai_runs") or 0),
            hosted=w.count(h["ai_hosted_rows"]),
        )
    if h.get("ai_runs"):
        return w("headline.includes_ai", devices=w.count(h["devices"]), runs=w.count(h["ai_runs"]))
    return w("headline.includes_equipment", devices=w.count(h["devices"]))
