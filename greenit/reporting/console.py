"""Console rendering of results (rich tables). Presentation only: numbers come computed."""

from __future__ import annotations

from greenit.reporting.labels import category_label, format_number, label


def _console(stderr: bool = False):
    import sys

    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    width = None if stream.isatty() else 110  # pipes and CI logs: wide enough for the table
    return Console(stderr=stderr, highlight=False, width=width)


def print_inventory(result: dict, devices_table, lang: str = "fr") -> None:
    """Totals, the table by category and a summary of flagged rows."""
    from rich.table import Table

    console = _console()
    t = result["totals"]
    tonnes = t["total_kgco2e"] >= 10_000
    unit = "tCO2e" if tonnes else "kgCO2e"
    title = label(
        "footprint_title",
        lang,
        year=result["year"],
        method=label(f"method_{result['method']}", lang),
    ).replace("kgCO2e", unit)
    table = Table(title=title, title_justify="left")
    table.add_column(label("category", lang))
    table.add_column(label("quantity", lang), justify="right")
    for key in ("manufacture", "use", "end_of_life", "total"):
        table.add_column(label(key, lang), justify="right")
    table.add_column(label("range", lang), justify="right")

    def n(value: float) -> str:
        return format_number(value / 1000, lang, 1) if tonnes else format_number(value, lang)

    def count(value: float) -> str:
        return format_number(value, lang)

    for group in result["by_category"]:
        table.add_row(
            category_label(group["category"], devices_table, lang),
            count(group["quantity"]),
            n(group["manufacture_kgco2e"]),
            n(group["use_kgco2e"]),
            n(group["end_of_life_kgco2e"]),
            n(group["total_kgco2e"]),
            f"{n(group['total_low_kgco2e'])} – {n(group['total_high_kgco2e'])}",
        )
    table.add_section()
    table.add_row(
        label("total", lang),
        count(sum(g["quantity"] for g in result["by_category"])),
        n(t["manufacture_kgco2e"]),
        n(t["use_kgco2e"]),
        n(t["end_of_life_kgco2e"]),
        n(t["total_kgco2e"]),
        f"{n(t['total_low_kgco2e'])} – {n(t['total_high_kgco2e'])}",
        style="bold",
    )
    console.print(table)
    kwh = count(t["use_kwh"])
    console.print(
        f"{label('energy', lang)} : {kwh} kWh/an"
        if lang == "fr"
        else f"{label('energy', lang)}: {kwh} kWh/yr"
    )
    console.print(label("rows_summary", lang, **result))
    console.print(label("defaults_note", lang, **result["defaults_used"]), style="dim")
    print_flagged(result["flagged"], lang)
    for failure in result.get("files_failed", []):
        _console(stderr=True).print(f"[red]greenit: {failure['error']}[/red]")
    console.print(label("factors_note", lang, version=result["factors_version"]), style="dim")


def print_flagged(flagged: list[dict], lang: str = "fr", limit: int = 8) -> None:
    if not flagged:
        return
    console = _console()
    console.print(f"[yellow]{label('flagged_title', lang)} ({len(flagged)})[/yellow]")
    for item in flagged[:limit]:
        console.print(f"  {item['file']}:{item['row']}  {item['reason']}", markup=False)
    if len(flagged) > limit:
        console.print("  " + label("more_flagged", lang, n=len(flagged) - limit))


def print_workloads(result: dict, lang: str = "fr") -> None:
    """AI runs by project and phase: energy, usage and embodied emissions."""
    from rich.table import Table

    console = _console()
    fr = lang == "fr"
    table = Table(
        title="Charges d'IA : énergie et émissions" if fr else "AI workloads: energy and emissions",
        title_justify="left",
    )
    for header in (
        ("Projet", "Project"),
        ("Phase", "Phase"),
        ("Runs", "Runs"),
        ("kWh", "kWh"),
        ("Usage kgCO2e", "Use kgCO2e"),
        ("Fabrication kgCO2e", "Embodied kgCO2e"),
        ("Total kgCO2e", "Total kgCO2e"),
    ):
        table.add_column(
            header[0] if fr else header[1], justify="left" if header[0] in ("Projet", "Phase") else "right"
        )

    def n(value: float, decimals: int | None = None) -> str:
        if decimals is None:  # small runs need more digits than training campaigns
            decimals = 1 if abs(value) >= 10 else 3 if abs(value) >= 0.01 else 6
        return format_number(value, lang, decimals)

    for group in result["by_project"]:
        table.add_row(
            str(group["project"]),
            str(group["phase"]),
            str(group["runs"]),
            n(group["energy_kwh"]),
            n(group["usage_kgco2e"]),
            n(group["embodied_kgco2e"]),
            n(group["total_kgco2e"]),
        )
    t = result["totals"]
    table.add_section()
    table.add_row(
        label("total", lang),
        "",
        str(result["runs_estimated"]),
        n(t["energy_kwh"]),
        n(t["usage_kgco2e"]),
        n(t["embodied_kgco2e"]),
        n(t["total_kgco2e"]),
        style="bold",
    )
    console.print(table)
    for run in result["runs"]:
        if run.get("requests"):
            console.print(
                (
                    f"  {run['run_id']} : {n(run['energy_per_request_wh'], 2)} Wh et "
                    f"{n(run['total_per_request_gco2e'], 2)} gCO2e par requête"
                )
                if fr
                else (
                    f"  {run['run_id']}: {n(run['energy_per_request_wh'], 2)} Wh and "
                    f"{n(run['total_per_request_gco2e'], 2)} gCO2e per request"
                ),
                markup=False,
            )
    console.print(
        (
            f"{result['runs_in']} runs lus : {result['runs_estimated']} estimés, "
            f"{result['runs_flagged']} signalés"
        )
        if fr
        else (
            f"{result['runs_in']} runs read: {result['runs_estimated']} estimated, "
            f"{result['runs_flagged']} flagged"
        )
    )
    print_flagged(result["flagged"], lang)


def print_scenarios(table, lang: str = "fr") -> None:
    """Baseline and levers: total, change against the baseline."""
    from rich.table import Table

    fr = lang == "fr"
    cumulative = table.attrs.get("cumulative", False)
    title = ("Leviers" if fr else "Levers") + (
        (" (cumulés)" if fr else " (cumulative)")
        if cumulative
        else (" (chacun seul)" if fr else " (each alone)")
    )
    out = Table(title=title, title_justify="left")
    out.add_column("Scénario" if fr else "Scenario")
    for header in (
        ("Total kgCO2e/an", "Total kgCO2e/yr"),
        ("Écart kgCO2e", "Change kgCO2e"),
        ("Écart", "Change"),
    ):
        out.add_column(header[0] if fr else header[1], justify="right")
    for i, row in table.iterrows():
        change = "" if i == 0 else format_number(row["change_kgco2e"], lang)
        share = "" if i == 0 else format_number(100 * row["change_share"], lang, 1) + " %"
        out.add_row(str(row["scenario"]), format_number(row["total_kgco2e"], lang), change, share)
    _console().print(out)
