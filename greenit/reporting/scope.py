"""The scope of a footprint in words: the server room's PUE, consumables, services, the lifespan
rule, what is out of scope — the same sentences in the console and in the report.

Every function takes the JSON object of ``estimate --json`` (``inventory`` of ``summary.json``)
and :class:`~greenit.reporting.text.Words`; nothing here computes a footprint.
"""

from __future__ import annotations

from greenit.i18n import text
from greenit.reporting.text import Words, typeset


def say(w: Words, key: str, /, **values: object) -> str:
    """Entry ``scope.report.KEY`` in the output's language (French spaces where lines wrap)."""
    sentence = text(f"scope.report.{key}", w.lang, **values)
    return typeset(sentence, w.lang) if w.nonbreaking else sentence


def rule_line(result: dict, w: Words) -> str:
    """Which lifespan rule spread manufacture: said in every output."""
    rule = result.get("lifespan_rule", "technique")
    return text("scope.rule.line", w.lang, rule=text(f"scope.rule.{rule}", w.lang), value=rule)


def room_line(result: dict, w: Words) -> str | None:
    """The server room's PUE, where it comes from, the devices and the overhead; None without room."""
    room = result.get("server_room") or {}
    if not room.get("devices"):
        return None
    pue = room.get("pue")
    origin = say(w, f"room_origin_{room.get('origin', 'default')}")
    low, high = room.get("pue_low"), room.get("pue_high")
    line = say(
        w,
        "room_line",
        pue=w.number(pue),
        range="" if low == high else f"{w.number(low)}–{w.number(high)}, ",  # --pue: exact
        origin=origin,
        devices=w.count(room["devices"]),
        kwh=w.number(room.get("overhead_kwh")),
        mass=w.mass(room.get("overhead_kgco2e")),
    )
    own = room.get("rows_with_own_pue") or 0
    return f"{line} {say(w, 'room_own_rows', n=w.count(own))}" if own else line


def consumables_line(result: dict, w: Words) -> str | None:
    """Toner and ink: the printers' low-confidence estimate, or the town's own purchases."""
    totals = result["totals"]
    services = result.get("services") or {}
    if services.get("consumables_purchased"):
        return say(w, "consumables_purchased", mass=w.mass(totals["consumables_kgco2e"]))
    if not totals.get("consumables_kgco2e"):
        return None
    return say(
        w,
        "consumables_line",
        mass=w.mass(totals["consumables_kgco2e"]),
        range=w.mass_range(totals["consumables_low_kgco2e"], totals["consumables_high_kgco2e"]),
    )


def services_line(result: dict, w: Words) -> str:
    """Services bought: their total and lines, or that none were given (and so not counted)."""
    services = result.get("services")
    if not services:
        return say(w, "services_none")
    return say(
        w,
        "services_line",
        mass=w.mass(services["services_kgco2e"]),
        range=w.mass_range(services["services_low_kgco2e"], services["services_high_kgco2e"]),
        estimated=w.count(services["lines_estimated"]),
        flagged=w.count(services["lines_flagged"]),
    )


def scope_lines(result: dict, w: Words) -> list[str]:
    """Every sentence of the scope, in order: room, consumables, services, lifespan rule."""
    lines = [
        room_line(result, w),
        consumables_line(result, w),
        services_line(result, w),
        rule_line(result, w),
    ]
    return [line for line in lines if line]


def headline_scope(summary: dict, w: Words) -> str | None:
    """Under the headline: what the total holds beyond the devices' life cycle — the printers'
    toner, the services bought, the server room's cooling — or that no services file was given.
    """
    from babel.lists import format_list

    h, inventory = summary["headline"], summary.get("inventory") or {}
    room = inventory.get("server_room") or {}
    parts = []
    if h.get("consumables_kgco2e"):
        parts.append(say(w, "headline_consumables", mass=w.mass(h["consumables_kgco2e"])))
    if h.get("services_kgco2e") is not None:
        parts.append(say(w, "headline_services", mass=w.mass(h["services_kgco2e"])))
    if room.get("devices"):
        overhead = w.mass(room.get("overhead_kgco2e"))
        parts.append(say(w, "headline_room", pue=w.number(room.get("pue")), mass=overhead))
    sentences = [say(w, "headline_also", parts=format_list(parts, locale=w.lang))] if parts else []
    if h.get("services_kgco2e") is None:
        sentences.append(say(w, "headline_no_services"))
    return " ".join(sentences) or None


def print_scope(console, result: dict, w: Words) -> None:
    """The scope's sentences under the ``greenit estimate`` table."""
    for line in scope_lines(result, w):
        console.print(line, markup=False)
