"""The report a town hands to its elected officials: one self-contained HTML file.

Charts are inline SVG (no external URL: it opens offline, prints sharp), every string that
came from a user's file is escaped, and an appendix lists the method, every factor used with
its source, and every flagged row. The same charts are written beside it as PNG and SVG.
"""

from __future__ import annotations

import datetime as _dt
import html
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

import numpy as np
import pandas as pd

from greenit.reporting.labels import category_label, format_number, phase_label


@dataclass
class Report:
    """What :func:`build_report` wrote and computed."""

    html_path: Path
    chart_paths: dict[str, dict[str, Path]]
    inventory: dict
    workloads: dict | None
    scenarios: pd.DataFrame | None
    indicators: dict
    files: list[Path] = field(default_factory=list)


def e(value: object) -> str:
    """Escape anything that goes into the HTML."""
    return html.escape("" if value is None else str(value), quote=True)


def write_report(
    out_dir: str | Path,
    *,
    inventory,
    workloads,
    comparison: pd.DataFrame | None,
    indicators,
    lang: str = "fr",
    headcount: int | None = None,
    title: str | None = None,
    inventory_paths: list[str | Path] = (),
    ai_paths: list[str | Path] = (),
) -> Report:
    """Draw the charts and write ``out_dir/report.html`` from computed results (no estimation here)."""
    from greenit.inventory.indicators import age_profile
    from greenit.reporting import charts
    from greenit.reporting.output import write_csv, write_text
    from greenit.results import group_totals

    out_dir = Path(out_dir)
    factors = inventory.factors
    result = inventory.result()
    ai_result = workloads.result() if workloads else None
    figures = {
        "empreinte_par_categorie": charts.footprint_by_category(
            group_totals(inventory.rows, "category"), factors.devices, lang
        ),
        "empreinte_par_direction": charts.footprint_by_entity(group_totals(inventory.rows, "entity"), lang),
        "age_des_equipements": charts.equipment_age(age_profile(inventory.rows), factors.devices, lang),
    }
    if ai_result and ai_result["by_project"]:
        figures["ia_par_projet"] = charts.ai_by_project(pd.DataFrame(ai_result["by_project"]), lang)
    if comparison is not None:
        figures["leviers"] = charts.scenario_waterfall(comparison, lang)
    chart_paths = {name: charts.save_figure(fig, out_dir, name) for name, fig in figures.items()}
    svgs = {name: charts.svg_text(fig) for name, fig in figures.items()}

    write_csv(out_dir / "inventaire_lignes.csv", inventory.rows_out())
    document = render_html(
        result=result,
        ai_result=ai_result,
        comparison=comparison,
        indicators=indicators.as_dict(),
        svgs=svgs,
        factors=factors,
        rows=inventory.rows,
        lang=lang,
        title=title,
        headcount=headcount,
        inputs=[str(p) for p in inventory_paths],
        ai_inputs=[str(p) for p in ai_paths],
    )
    html_path = write_text(out_dir / "report.html", document)
    return Report(
        html_path=html_path,
        chart_paths=chart_paths,
        inventory=result,
        workloads=ai_result,
        scenarios=comparison,
        indicators=indicators.as_dict(),
        files=[html_path, out_dir / "inventaire_lignes.csv"],
    )


# ----------------------------------------------------------------------------- HTML

CSS = (files("greenit.reporting") / "templates" / "report.css").read_text(encoding="utf-8")

WORDS = {
    "fr": {
        "title": "Empreinte carbone du numérique",
        "year": "Année de référence",
        "method": "méthode",
        "amortised": "amortie (BEGES, poste 4.2)",
        "flux": "flux (fabrication l'année d'achat)",
        "factors": "facteurs d'émission",
        "generated": "généré le",
        "total": "Empreinte annuelle",
        "range": "fourchette",
        "manufacture": "Fabrication",
        "use": "Usage",
        "end_of_life": "Fin de vie",
        "devices": "Équipements inventoriés",
        "per_agent": "Par agent",
        "ai_share": "Part de l'IA",
        "energy": "Électricité",
        "per_year": "par an",
        "car": "soit l'équivalent de {km} km en voiture thermique",
        "s1": "1. Empreinte par catégorie d'équipement",
        "s2": "2. Empreinte par direction",
        "s3": "3. Âge, durée de vie et réemploi",
        "s4": "4. Intelligence artificielle",
        "s5": "5. Leviers de réduction",
        "category": "Catégorie",
        "qty": "Qté",
        "entity": "Direction / service",
        "share": "Part",
        "a1": "Annexe A. Méthode",
        "a2": "Annexe B. Facteurs utilisés et sources",
        "a3": "Annexe C. Lignes signalées",
        "a4": "Annexe D. Données d'entrée",
        "over_ten": "Équipements en service de plus de 10 ans (seuil de recyclage, décret 2023-266)",
        "beyond": "Équipements en service au-delà de leur durée de vie de référence",
        "reuse": "Taux de réemploi du matériel réformé de moins de 10 ans",
        "target": "objectif",
        "no_reuse_data": "non calculable : aucun équipement réformé ou "
        "réemployé de moins de 10 ans dans l'inventaire (statuts « Réformé », « Réemploi »)",
        "refurbished": "Part d'équipements reconditionnés dans le parc en service",
        "refurbished_purchases": "Part d'achats reconditionnés dans l'année",
        "scenario": "Levier",
        "alone": "Effet seul",
        "cumulated": "Total après ce levier",
        "change": "Écart cumulé",
        "project": "Projet",
        "phase": "Phase",
        "runs": "Runs",
        "usage": "Usage",
        "embodied": "Fabrication du matériel",
        "per_request": "{run} : {wh} Wh et {g} gCO2e par requête",
        "ai_total": "Les charges d'IA représentent {total} kgCO2e, dont {training} kgCO2e "
        "d'entraînement et d'ajustement et {inference} kgCO2e d'inférence.",
        "flagged_none": "Aucune ligne signalée : toutes les lignes ont été estimées.",
        "flagged_count": "{n} ligne(s) n'ont pas pu être estimées ; elles ne sont pas comptées "
        "dans les totaux. Corrigez-les dans le fichier source.",
        "file": "Fichier",
        "row": "Ligne",
        "reason": "Motif",
        "rows_read": "{rows_in} lignes lues, {rows_estimated} estimées, {rows_flagged} signalées",
        "electricity": "Facteur d'électricité",
        "source": "Source",
        "lifespan": "Durée de vie",
        "kwh": "kWh/an",
        "no_ai": "Aucun journal de charges d'IA n'a été fourni.",
        "defaults": "Valeurs par défaut des tables utilisées : durée de vie pour {lifespan} "
        "lignes, consommation pour {energy} lignes, date d'achat inconnue pour "
        "{purchase_date} lignes.",
    },
    "en": {
        "title": "Carbon footprint of digital services",
        "year": "Reference year",
        "method": "method",
        "amortised": "amortised (BEGES, poste 4.2)",
        "flux": "flux (manufacture in the purchase year)",
        "factors": "emission factors",
        "generated": "generated on",
        "total": "Yearly footprint",
        "range": "range",
        "manufacture": "Manufacture",
        "use": "Use",
        "end_of_life": "End of life",
        "devices": "Devices in the inventory",
        "per_agent": "Per agent",
        "ai_share": "AI share",
        "energy": "Electricity",
        "per_year": "per year",
        "car": "the same as {km} km in a petrol car",
        "s1": "1. Footprint by equipment category",
        "s2": "2. Footprint by department",
        "s3": "3. Age, lifespan and reuse",
        "s4": "4. Artificial intelligence",
        "s5": "5. Reduction levers",
        "category": "Category",
        "qty": "Qty",
        "entity": "Department",
        "share": "Share",
        "a1": "Appendix A. Method",
        "a2": "Appendix B. Factors used and sources",
        "a3": "Appendix C. Flagged rows",
        "a4": "Appendix D. Input data",
        "over_ten": "Devices in service over 10 years old (recycling threshold, décret 2023-266)",
        "beyond": "Devices in service beyond their reference lifespan",
        "reuse": "Reuse rate of retired equipment under 10 years old",
        "target": "target",
        "no_reuse_data": "cannot be computed: no retired or reused equipment under 10 years "
        "old in the inventory",
        "refurbished": "Refurbished share of the fleet in service",
        "refurbished_purchases": "Refurbished share of the year's purchases",
        "scenario": "Lever",
        "alone": "Effect alone",
        "cumulated": "Total after this lever",
        "change": "Cumulative change",
        "project": "Project",
        "phase": "Phase",
        "runs": "Runs",
        "usage": "Use",
        "embodied": "Hardware manufacture",
        "per_request": "{run}: {wh} Wh and {g} gCO2e per request",
        "ai_total": "AI workloads amount to {total} kgCO2e: {training} kgCO2e for training and "
        "fine-tuning, {inference} kgCO2e for inference.",
        "flagged_none": "No flagged row: every row was estimated.",
        "flagged_count": "{n} row(s) could not be estimated; they are not in the totals. "
        "Fix them in the source file.",
        "file": "File",
        "row": "Row",
        "reason": "Reason",
        "rows_read": "{rows_in} rows read, {rows_estimated} estimated, {rows_flagged} flagged",
        "electricity": "Electricity factor",
        "source": "Source",
        "lifespan": "Lifespan",
        "kwh": "kWh/yr",
        "no_ai": "No AI workload log was given.",
        "defaults": "Table defaults used: lifespan for {lifespan} rows, energy for {energy} "
        "rows, unknown purchase date for {purchase_date} rows.",
    },
}

METHOD_TEXT = {
    lang: (files("greenit.reporting") / "templates" / f"method.{lang}.html").read_text(encoding="utf-8")
    for lang in ("fr", "en")
}


def render_html(
    *,
    result: dict,
    ai_result: dict | None,
    comparison: pd.DataFrame | None,
    indicators: dict,
    svgs: dict[str, str],
    factors,
    rows: pd.DataFrame,
    lang: str,
    title: str | None,
    headcount: int | None,
    inputs: list[str],
    ai_inputs: list[str],
) -> str:
    """The report as one HTML string (pure: no I/O)."""
    w = WORDS[lang]
    t = result["totals"]
    tonnes = t["total_kgco2e"] >= 10_000

    def mass(value: float, unit: bool = True) -> str:
        if tonnes:
            text = format_number(value / 1000, lang, 1)
            return f"{text} tCO2e" if unit else text
        text = format_number(value, lang, 0)
        return f"{text} kgCO2e" if unit else text

    def pct(value: float | None) -> str:
        if value is None or (isinstance(value, float) and np.isnan(value)):
            return "–"
        decimals = 1 if 0 < abs(value) < 0.1 else 0  # 0,1 % rather than a misleading 0 %
        return format_number(100 * value, lang, decimals) + ("\u202f%" if lang == "fr" else "%")

    total = t["total_kgco2e"] + (ai_result["totals"]["total_kgco2e"] if ai_result else 0.0)
    parts: list[str] = []
    add = parts.append
    heading = title or w["title"]
    add(
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{e(heading)} — {result['year']}</title><style>{CSS}</style></head><body>"
    )
    add(
        f"<header><h1>{e(heading)}</h1><p class='meta'>{w['year']} {result['year']} · "
        f"{w['method']} {w[result['method']]} · {w['factors']} {e(result['factors_version'])} · "
        f"{w['generated']} {_dt.date.today().isoformat()}</p></header>"
    )

    # key figures
    add("<section class='kpis'>")
    manufacture_share = t["manufacture_kgco2e"] / t["total_kgco2e"] if t["total_kgco2e"] else 0
    cards = [
        (
            mass(t["total_kgco2e"]),
            f"{w['total']} ({w['range']} {mass(t['total_low_kgco2e'], False)}"
            f" – {mass(t['total_high_kgco2e'])})",
        ),
        (mass(t["manufacture_kgco2e"]), f"{w['manufacture']} ({pct(manufacture_share)})"),
        (mass(t["use_kgco2e"]), f"{w['use']} · {format_number(t['use_kwh'], lang)} kWh"),
        (format_number(sum(g["quantity"] for g in result["by_category"]), lang), w["devices"]),
    ]
    if headcount:
        cards.append(
            (
                format_number(indicators["per_agent_kgco2e"], lang) + " kgCO2e",
                f"{w['per_agent']} ({format_number(headcount, lang)})",
            )
        )
    if ai_result:
        cards.append((pct(indicators["ai_share"]), w["ai_share"]))
    for value, text in cards:
        add(f"<div class='kpi'><div class='value'>{value}</div><div class='label'>{text}</div></div>")
    add("</section>")
    car = indicators["equivalences"].get("car_km")
    if car:
        add(
            f"<p class='note'>{w['car'].format(km=format_number(car, lang))} (ADEME Impact CO2, "
            f"{format_number(total, lang)} kgCO2e).</p>"
        )

    # 1. by category
    add(f"<section><h2>{w['s1']}</h2><figure>{svgs['empreinte_par_categorie']}</figure>")
    add(_category_table(result, factors, lang, mass, pct))
    add(
        f"<p class='note'>{w['rows_read'].format(**result)}. "
        f"{w['defaults'].format(**result['defaults_used'])}</p></section>"
    )

    # 2. by entity
    add(f"<section><h2>{w['s2']}</h2><figure>{svgs['empreinte_par_direction']}</figure>")
    add(
        "<table><thead><tr>" + f"<th>{w['entity']}</th><th class='n'>{w['qty']}</th>"
        f"<th class='n'>{w['manufacture']}</th><th class='n'>{w['use']}</th>"
        f"<th class='n'>Total</th><th class='n'>{w['share']}</th></tr></thead><tbody>"
    )
    for group in result["by_entity"][:15]:
        add(
            f"<tr><td>{e(group['entity'])}</td><td class='n'>{format_number(group['quantity'], lang)}"
            f"</td><td class='n'>{mass(group['manufacture_kgco2e'], False)}</td>"
            f"<td class='n'>{mass(group['use_kgco2e'], False)}</td>"
            f"<td class='n'>{mass(group['total_kgco2e'], False)}</td>"
            f"<td class='n'>{pct(_share(group['total_kgco2e'], t['total_kgco2e']))}</td></tr>"
        )
    add("</tbody></table></section>")

    # 3. age and reuse
    add(f"<section><h2>{w['s3']}</h2><figure>{svgs['age_des_equipements']}</figure><ul>")
    add(
        f"<li>{w['over_ten']} : <b>{format_number(indicators['over_ten_years'], lang)}</b> "
        f"({pct(indicators['over_ten_years_share'])})</li>"
    )
    add(f"<li>{w['beyond']} : <b>{pct(indicators['beyond_lifespan_share'])}</b></li>")
    if indicators["reuse_rate"] is None:
        add(f"<li>{w['reuse']} : {w['no_reuse_data']}</li>")
    else:
        met = indicators["reuse_rate"] >= indicators["reuse_target"]
        add(
            f"<li>{w['reuse']} : <span class='{'ok' if met else 'warn'}'>"
            f"{pct(indicators['reuse_rate'])}</span> ({w['target']} {result['year']} : "
            f"{pct(indicators['reuse_target'])})</li>"
        )
    add(f"<li>{w['refurbished']} : <b>{pct(indicators['refurbished_share'])}</b></li>")
    if indicators["refurbished_purchases_share"] is not None:
        add(
            f"<li>{w['refurbished_purchases']} : <b>{pct(indicators['refurbished_purchases_share'])}</b></li>"
        )
    add("</ul></section>")

    # 4. AI
    add(f"<section><h2>{w['s4']}</h2>")
    if ai_result:
        add(_ai_section(ai_result, svgs.get("ia_par_projet", ""), lang, w))
    else:
        add(f"<p class='note'>{w['no_ai']}</p>")
    add("</section>")

    # 5. levers
    if comparison is not None:
        add(f"<section><h2>{w['s5']}</h2><figure>{svgs['leviers']}</figure>")
        add(
            f"<table><thead><tr><th>{w['scenario']}</th><th class='n'>{w['alone']}</th>"
            f"<th class='n'>{w['cumulated']}</th><th class='n'>{w['change']}</th></tr></thead><tbody>"
        )
        for i, row in comparison.iterrows():
            alone = "" if i == 0 else mass(row["alone_change_kgco2e"])
            add(
                f"<tr><td>{e(row['scenario'])}</td><td class='n'>{alone}</td>"
                f"<td class='n'>{mass(row['total_kgco2e'])}</td>"
                f"<td class='n'>{'' if i == 0 else pct(row['change_share'])}</td></tr>"
            )
        add("</tbody></table></section>")

    # appendices
    add(f"<section class='appendix'><h2>{w['a1']}</h2>{METHOD_TEXT[lang]}</section>")
    add(f"<section><h2>{w['a2']}</h2>")
    add(_factors_appendix(result, rows, factors, lang, w, ai_result))
    add("</section>")
    add(f"<section><h2>{w['a3']}</h2>")
    flagged = result["flagged"]
    if not flagged:
        add(f"<p>{w['flagged_none']}</p>")
    else:
        add(
            f"<p>{w['flagged_count'].format(n=len(flagged))}</p><table><thead><tr>"
            f"<th>{w['file']}</th><th class='n'>{w['row']}</th><th>{w['reason']}</th></tr></thead><tbody>"
        )
        for item in flagged[:200]:
            add(
                f"<tr><td>{e(Path(item['file']).name)}</td><td class='n'>{item['row']}</td>"
                f"<td>{e(item['reason'])}</td></tr>"
            )
        add("</tbody></table>")
        if len(flagged) > 200:
            add(f"<p class='note'>… +{len(flagged) - 200} (inventaire_lignes.csv)</p>")
    if ai_result and ai_result["flagged"]:
        add(
            "<table><tbody>"
            + "".join(
                f"<tr><td>{e(Path(f['file']).name)}</td><td class='n'>{f['row']}</td>"
                f"<td>{e(f['reason'])}</td></tr>"
                for f in ai_result["flagged"]
            )
            + "</tbody></table>"
        )
    add("</section>")
    add(f"<section><h2>{w['a4']}</h2><ul>")
    for path in [*inputs, *ai_inputs]:
        add(f"<li><code>{e(path)}</code></li>")
    add("</ul></section></body></html>")
    return "\n".join(parts)


def _share(part: float, whole: float) -> float:
    return part / whole if whole else 0.0


def _range(low: float, high: float, lang: str) -> str:
    return f"{format_number(low, lang, 0)}–{format_number(high, lang, 0)}"


def _category_table(result: dict, factors, lang: str, mass, pct) -> str:
    w = WORDS[lang]
    t = result["totals"]
    out = [
        "<table><thead><tr>",
        f"<th>{w['category']}</th><th class='n'>{w['qty']}</th>",
        f"<th class='n'>{w['manufacture']}</th><th class='n'>{w['use']}</th>",
        f"<th class='n'>{w['end_of_life']}</th><th class='n'>Total</th>",
        f"<th class='n'>{w['range']}</th><th class='n'>{w['share']}</th></tr></thead><tbody>",
    ]
    for group in result["by_category"]:
        out.append(
            f"<tr><td>{e(category_label(group['category'], factors.devices, lang))}</td>"
            f"<td class='n'>{format_number(group['quantity'], lang)}</td>"
            f"<td class='n'>{mass(group['manufacture_kgco2e'], False)}</td>"
            f"<td class='n'>{mass(group['use_kgco2e'], False)}</td>"
            f"<td class='n'>{mass(group['end_of_life_kgco2e'], False)}</td>"
            f"<td class='n'>{mass(group['total_kgco2e'], False)}</td>"
            f"<td class='n'>{mass(group['total_low_kgco2e'], False)} – "
            f"{mass(group['total_high_kgco2e'], False)}</td>"
            f"<td class='n'>{pct(_share(group['total_kgco2e'], t['total_kgco2e']))}</td></tr>"
        )
    out.append(
        f"</tbody><tfoot><tr><td>Total</td>"
        f"<td class='n'>{format_number(sum(g['quantity'] for g in result['by_category']), lang)}</td>"
        f"<td class='n'>{mass(t['manufacture_kgco2e'], False)}</td>"
        f"<td class='n'>{mass(t['use_kgco2e'], False)}</td>"
        f"<td class='n'>{mass(t['end_of_life_kgco2e'], False)}</td>"
        f"<td class='n'>{mass(t['total_kgco2e'])}</td>"
        f"<td class='n'>{mass(t['total_low_kgco2e'], False)} – {mass(t['total_high_kgco2e'], False)}</td>"
        "<td class='n'></td></tr></tfoot></table>"
    )
    return "".join(out)


def _ai_section(ai: dict, svg: str, lang: str, w: dict) -> str:
    def n(value: float) -> str:
        decimals = 1 if abs(value) >= 10 else 3 if abs(value) >= 0.01 else 6
        return format_number(value, lang, decimals)

    training = sum(p["total_kgco2e"] for p in ai["by_phase"] if p["phase"] in ("training", "fine-tuning"))
    inference = sum(p["total_kgco2e"] for p in ai["by_phase"] if p["phase"] == "inference")
    out = [
        "<p>"
        + w["ai_total"].format(
            total=n(ai["totals"]["total_kgco2e"]), training=n(training), inference=n(inference)
        )
        + "</p>",
        f"<figure>{svg}</figure>" if svg else "",
        f"<table><thead><tr><th>{w['project']}</th><th>{w['phase']}</th><th class='n'>{w['runs']}</th>"
        f"<th class='n'>kWh</th><th class='n'>{w['usage']} kgCO2e</th>"
        f"<th class='n'>{w['embodied']} kgCO2e</th><th class='n'>Total kgCO2e</th></tr></thead><tbody>",
    ]
    for group in ai["by_project"]:
        out.append(
            f"<tr><td>{e(group['project'])}</td><td>{e(phase_label(group['phase'], lang))}</td>"
            f"<td class='n'>{group['runs']}</td><td class='n'>{n(group['energy_kwh'])}</td>"
            f"<td class='n'>{n(group['usage_kgco2e'])}</td><td class='n'>{n(group['embodied_kgco2e'])}</td>"
            f"<td class='n'>{n(group['total_kgco2e'])}</td></tr>"
        )
    out.append("</tbody></table><ul>")
    for run in ai["runs"]:
        if run.get("requests"):
            out.append(
                "<li>"
                + e(
                    w["per_request"].format(
                        run=run["run_id"],
                        wh=format_number(run["energy_per_request_wh"], lang, 2),
                        g=format_number(run["total_per_request_gco2e"], lang, 2),
                    )
                )
                + "</li>"
            )
    out.append("</ul>")
    return "".join(out)


def _factors_appendix(
    result: dict, rows: pd.DataFrame, factors, lang: str, w: dict, ai_result: dict | None
) -> str:
    devices = factors.devices
    used = [g["category"] for g in result["by_category"] if g["category"] in devices.index]
    source_ids: set[str] = set()
    out = [
        f"<table><thead><tr><th>{w['category']}</th><th class='n'>{w['manufacture']} kgCO2e</th>"
        f"<th class='n'>{w['lifespan']}</th><th class='n'>{w['kwh']}</th>"
        f"<th class='n'>{w['end_of_life']}</th><th>{w['source']}</th></tr></thead><tbody>"
    ]
    for category in used:
        row = devices.loc[category]
        ids = [
            row.get(c)
            for c in ("manufacture_source", "lifespan_source", "energy_source", "end_of_life_source")
            if isinstance(row.get(c), str)
        ]
        ids += [s for s in str(row.get("range_sources") or "").split(";") if s]
        source_ids.update(ids)
        eol = row["end_of_life_kgco2e"]
        out.append(
            f"<tr><td>{e(category_label(category, devices, lang))}</td>"
            f"<td class='n'>{format_number(row['manufacture_kgco2e'], lang, 1)} "
            f"({_range(row['manufacture_low_kgco2e'], row['manufacture_high_kgco2e'], lang)})</td>"
            f"<td class='n'>{format_number(row['lifespan_years'], lang, 1)}</td>"
            f"<td class='n'>{format_number(row['annual_kwh'], lang, 1)} "
            f"({_range(row['annual_kwh_low'], row['annual_kwh_high'], lang)})</td>"
            f"<td class='n'>{'' if pd.isna(eol) else format_number(eol, lang, 2)}</td>"
            f"<td>{e(', '.join(dict.fromkeys(ids)))}</td></tr>"
        )
    out.append("</tbody></table>")
    countries = rows.loc[(rows["estimate_status"] == "estimated").to_numpy(), "country"]
    override = result.get("grid_factor_override_kg_per_kwh")
    out.append(f"<h3>{w['electricity']}</h3><ul>")
    if override is not None:
        out.append(f"<li>{format_number(override * 1000, lang, 1)} gCO2e/kWh (--grid-factor)</li>")
    else:
        for country in sorted(set(countries.astype(str))):
            if country in factors.electricity.index:
                row = factors.electricity.loc[country]
                source_ids.add(row["source_id"])
                out.append(
                    f"<li>{e(country)} : {format_number(row['carbon_intensity_kg_per_kwh'] * 1000, lang, 1)}"
                    f" gCO2e/kWh ({e(row['year'])}, {e(row['source_id'])})</li>"
                )
    out.append("</ul>")
    for parameter in ("refurbished_manufacture_share", "recycling_age_threshold", "reuse_target_2025"):
        source_ids.add(factors.tables["parameters"].loc[parameter, "source_id"])
    for name in ("equivalences",):
        if name in factors.tables:
            source_ids.update(factors.tables[name]["source_id"].dropna())
    if ai_result:
        for name in ("accelerators", "pue", "cloud_regions", "ai_parameters"):
            table = factors.tables.get(name)
            if table is not None:
                for column in ("power_source", "manufacture_source", "source_id"):
                    if column in table.columns:
                        source_ids.update(table[column].dropna())
    out.append(f"<h3>{w['source']}s</h3><table><tbody>")
    for source_id, source in factors.source_rows(source_ids).iterrows():
        out.append(
            f"<tr><td><code>{e(source_id)}</code></td><td>{e(source['publisher'])} "
            f"({e(source['year'])}). {e(source['title'])}. <span class='note'>"
            f"{e(source['url'])} — {e(source['licence'])}</span></td></tr>"
        )
    out.append("</tbody></table>")
    return "".join(out)
