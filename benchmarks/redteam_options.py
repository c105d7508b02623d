"""Hostile option values: --year, --country, --grid-factor, --headcount, --title, --lang,
--method, --sheet, --column, --default-category, scenarios (-s) and factor overlays (--factors).
"""

from __future__ import annotations

from pathlib import Path

from redteam_kit import (
    AI_LOG,
    GLPI,
    USAGE,
    case,
    greenit,
    inventory,
    json_result,
    ok_or_user_error,
    user_error,
    verdict,
    write,
)

SMALL = [("portable", 3), ("écran", 2), ("serveur", 1)]


def small(tmp: Path) -> Path:
    return inventory(tmp / "parc.csv", SMALL)


def _error_case(area: str, name: str, args: list[str], command: str = "estimate") -> None:
    @case(area, name, "exit 2, 1-2 lines")
    def check(tmp: Path) -> tuple[bool, str]:
        extra = ["--json"] if command in ("estimate", "scenario") else []
        if command == "report":
            extra = ["--out", str(tmp / "out")]
        target = [str(small(tmp))] if command != "ai estimate" else [str(AI_LOG)]
        r = greenit(*command.split(), *target, *args, *extra)
        return verdict(user_error(r), r.brief())


def _either_case(area: str, name: str, args: list[str], command: str = "estimate") -> None:
    @case(area, name, "exit 0 strict JSON or exit 2")
    def check(tmp: Path) -> tuple[bool, str]:
        target = [str(small(tmp))] if command != "ai estimate" else [str(AI_LOG), str(USAGE)]
        r = greenit(*command.split(), *target, *args, "--json")
        return verdict(ok_or_user_error(r, rows="runs" if command == "ai estimate" else "rows"), r.brief())


for value in ["0", "-5", "99999", "2025.5", "abc", "", "1", "999", "10000", "3000", "0x7e9"]:
    _error_case("option", f"--year {value!r}", ["--year", value])
for value in ["2026", "1990", "2000", " 2025", "1677", "1000", "+2025", "02025", "2_025"]:
    _either_case("option", f"--year {value!r}", ["--year", value])

for value in ["", "XXX", "fr", "FRANCE", "../../etc/passwd", "=HYPERLINK(1)", "F" * 100_000, "FRA\n", "ZZZ"]:
    _either_case("option", f"--country {value[:20]!r}", ["--country", value])

for value in [
    "nan",
    "inf",
    "-inf",
    "-5",
    "1e309",
    "57 kg",
    "57 W",
    "",
    "abc",
    "(((((((",
    "57 g/kWh/kWh",
    "1e-300",
    "0",
    "57 gCO2e/kWh",
    "0,057 kg/kWh",
    "5e6",
    "1" * 5000,
    "57 g/kWh " + "(" * 20000,
    "57 g/km",
    "57 %",
    "0x10",
    "1_000",
    "57 g/kWh; DROP",
]:
    _either_case("option", f"--grid-factor {value[:24]!r}", ["--grid-factor", value])
    _either_case("option", f"ai --grid-factor {value[:21]!r}", ["--grid-factor", value], "ai estimate")

for value in ["x", "", "AMORTISED", "flux "]:
    _error_case("option", f"--method {value!r}", ["--method", value])

for value in ["de", "", "FR", "fr_FR", "en-GB", "xx" * 1000]:
    _error_case("option", f"--lang {value[:12]!r}", ["--lang", value])

for value in ["0", "-1", "999", "nonexistent", "", "1.5", "1e309"]:
    _either_case("option", f"--sheet {value!r} on a CSV", ["--sheet", value])

for value in [
    "=category",
    "X=",
    "Type=nonexistent",
    "Absent=category",
    "a=b=c",
    "Type",
    "=",
    "Type=Type",
    "Quantité=category",
    "Type=quantity",
]:
    _either_case("option", f"--column {value!r}", ["--column", value])


@case("option", "--column twice on the same header", "exit 2 or one mapping said")
def column_twice(tmp: Path) -> tuple[bool, str]:
    r = greenit("estimate", small(tmp), "--column", "Type=category", "--column", "Type=model", "--json")
    return verdict(ok_or_user_error(r), r.brief())


for value in [
    "nonexistent",
    "",
    "=HYPERLINK(1)",
    "Ordinateur",
    "écran",
    "monitor",
    "MONITORS",
    "x" * 100_000,
]:
    _either_case("option", f"--default-category {value[:20]!r}", ["--default-category", value])

# ---- report options ----------------------------------------------------------------------

for value in ["0", "-1", "abc", str(10**30), "1e3", "", "9" * 400]:
    _error_case("option", f"--headcount {value[:20]!r}", ["--headcount", value], "report")


@case("option", "--headcount 1 (one agent)", "report written, per-agent = total")
def headcount_one(tmp: Path) -> tuple[bool, str]:
    r = greenit("report", small(tmp), "--out", tmp / "out", "--headcount", "1")
    if r.code != 0:
        return False, r.brief()
    import json

    data = json.loads((tmp / "out" / "summary.json").read_text())
    head = data["headline"]
    return verdict(None if abs(head["per_agent_kgco2e"] - head["total_kgco2e"]) < 1e-6 else str(head))


for value in [
    "{lang}",
    "{0}",
    "%s %d",
    "{{}}",
    "$x^2$",
    "\\",
    "a\nb",
    "\x1b[31mrouge",
    "‮evil",
    "",
    " ",
    "T" * 100_000,
    "<script>alert(1)</script>",
    "{title}",
    "{year!r}",
]:

    @case("option", f"--title {value[:20]!r}", "report written or exit 2")
    def title(tmp: Path, value: str = value) -> tuple[bool, str]:
        r = greenit("report", small(tmp), "--out", tmp / "out", "--title", value)
        if r.code == 2:
            return verdict(user_error(r), r.brief())
        if r.code != 0:
            return False, r.brief()
        html = (tmp / "out" / "report.html").read_text(encoding="utf-8")
        if value.strip() and "{" not in value and "<" not in value and "\x1b" not in value:
            shown = " ".join(value.split())[:50]
            if shown not in " ".join(html.replace("\xa0", " ").replace("&#34;", '"').split()):
                return False, f"title {shown[:30]!r} not in report"
        if "\x1b" in html:
            return False, "escape character in HTML"
        return True, r.brief()


# ---- scenarios -----------------------------------------------------------------------------

BAD_LEVERS = [
    "lifespan+1e308",
    "lifespan+nan",
    "lifespan+-2",
    "lifespan+inf",
    "lifespan-10",
    "lifespan+2:",
    "lifespan+2:nonexistent",
    "refurbished=150%",
    "refurbished=-10%",
    "refurbished=nan%",
    "reuse=1e309%",
    "reuse=101%",
    "grid=-5 g/kWh",
    "grid=nan",
    "grid=1e309 g/kWh",
    "grid=5 kg",
    "pue=0.5",
    "pue=inf",
    "pue=nan",
    "pue=1e9",
    "region=<script>",
    "region=",
    "request-energy=-150%",
    "request-energy=nan%",
    "requests=+1e308%",
    "requests=-101%",
    "model=nonexistent",
    "model=",
    "",
    ":",
    "=",
    "lifespan",
    "lifespan+",
    "nonsense=3",
    "lifespan+2" + ":x" * 10_000,
    "refurbished=30",
    "refurbished=0.3",
    "reuse=50 %",
    "lifespan+ 2",
    "lifespan+2 ans",
    "lifespan+1000",
    "lifespan+0.0000001",
    "grid=0",
    "LIFESPAN+2",
    "durée+2",
    "model=:Chatbot",
]


for lever in BAD_LEVERS:

    @case("scenario", f"-s {lever[:30]!r}", "exit 0 strict JSON or exit 2")
    def scenario(tmp: Path, lever: str = lever) -> tuple[bool, str]:
        r = greenit("scenario", small(tmp), "--ai", USAGE, "-s", lever, "--json")
        if r.code == 0:
            data, problem = json_result(r, rows="none")
            return verdict(problem, r.brief())
        return verdict(user_error(r), r.brief())


@case("scenario", "1,000 scenarios at once", "bounded (< 30 s) or exit 2")
def many_scenarios(tmp: Path) -> tuple[bool, str]:
    args = []
    for i in range(1000):
        args += ["-s", f"lifespan+{1 + i % 5}"]
    r = greenit("scenario", small(tmp), *args, "--json", "--cumulative", timeout=120)
    return verdict(ok_or_user_error(r) if r.code else json_result(r, rows="none")[1], r.brief())


@case("scenario", "lifespan+2 with cumulative reuse=100% then refurbished=100%", "finite, >= 0")
def cumulative_extremes(tmp: Path) -> tuple[bool, str]:
    r = greenit(
        "scenario",
        GLPI,
        "-s",
        "reuse=100%",
        "-s",
        "refurbished=100%",
        "-s",
        "lifespan+50",
        "--cumulative",
        "--json",
    )
    return verdict(json_result(r, rows="none")[1], r.brief())


# ---- factor overlays ---------------------------------------------------------------------

DEVICE_HEADER = (
    "category,label_fr,label_en,manufacture [kgCO2e],manufacture_low [kgCO2e],manufacture_high [kgCO2e],"
    "lifespan [year],annual_energy [kWh/year],annual_energy_low [kWh/year],annual_energy_high [kWh/year],"
    "use_hours [hour/year],end_of_life [kgCO2e],manufacture_source,lifespan_source,energy_source,"
    "end_of_life_source,use_hours_source,range_sources,notes\n"
)


def device_row(
    manufacture="200",
    low="150",
    high="250",
    lifespan="5",
    energy="40",
    eol="1",
    label="Portable",
    source="ecodiag",
) -> str:
    return (
        f"laptop,{label},Laptop,{manufacture},{low},{high},{lifespan},{energy},30,60,2000,{eol},"
        f"{source},{source},{source},,use_hours_convention,,ours\n"
    )


FACTOR_ROWS = {
    "manufacture nan": device_row(manufacture="nan"),
    "manufacture inf": device_row(manufacture="inf", high="inf"),
    "manufacture -200": device_row(manufacture="-200", low="-250", high="-150"),
    "manufacture 1e308": device_row(manufacture="1e308", low="1e308", high="1e308"),
    "manufacture empty": device_row(manufacture=""),
    "manufacture text": device_row(manufacture="deux cents"),
    "low above high": device_row(low="300", high="100"),
    "central outside range": device_row(manufacture="900"),
    "lifespan 0": device_row(lifespan="0"),
    "lifespan -5": device_row(lifespan="-5"),
    "lifespan 1e-300": device_row(lifespan="1e-300"),
    "lifespan 1e6": device_row(lifespan="1e6"),
    "energy -40": device_row(energy="-40"),
    "energy 1e300": device_row(energy="1e300"),
    "end of life nan": device_row(eol="nan"),
    "label formula": device_row(label="=HYPERLINK(1)"),
    "label script": device_row(label="<script>x</script>"),
    "unknown source": device_row(source="nowhere"),
    "unit in cell": device_row(manufacture="200 kg"),
    "decimal comma": device_row(manufacture='"200,5"'),
}

for name, row in FACTOR_ROWS.items():

    @case("factors", f"devices overlay: {name}", "exit 2, or finite figures")
    def overlay(tmp: Path, row: str = row, name: str = name) -> tuple[bool, str]:
        factors = write(tmp / "f" / "devices.csv", DEVICE_HEADER + row)
        r = greenit("estimate", small(tmp), "--factors", factors.parent, "--json")
        problem = ok_or_user_error(r)
        if problem is None and r.code == 0:
            v = greenit("factors", "validate", factors.parent)
            if v.code == 0 and name not in ("label formula", "label script", "unit in cell", "decimal comma"):
                problem = "estimate accepted it; validate says valid"
        return verdict(problem, r.brief())

    @case("factors", f"factors validate: {name}", "exit 0 (valid) or exit 2 naming the cell")
    def validate(tmp: Path, row: str = row) -> tuple[bool, str]:
        factors = write(tmp / "f" / "devices.csv", DEVICE_HEADER + row)
        r = greenit("factors", "validate", factors.parent)
        return verdict(None if r.code == 0 else user_error(r), r.brief())


OTHER_OVERLAYS = {
    "electricity FRA -46": (
        "electricity.csv",
        "country,name,carbon_intensity [kgCO2e/kWh],year,source_id,notes\n"
        "FRA,France,-0.046,2025,ademe_electricity_2025,\n",
    ),
    "electricity FRA nan": (
        "electricity.csv",
        "country,name,carbon_intensity [kgCO2e/kWh],year,source_id,notes\n"
        "FRA,France,nan,2025,ademe_electricity_2025,\n",
    ),
    "electricity FRA 1e308": (
        "electricity.csv",
        "country,name,carbon_intensity [kgCO2e/kWh],year,source_id,"
        "notes\nFRA,France,1e308,2025,ademe_electricity_2025,\n",
    ),
    "electricity FRA in g": (
        "electricity.csv",
        "country,name,carbon_intensity [g/kWh],year,source_id,notes\n"
        "FRA,France,46,2025,ademe_electricity_2025,\n",
    ),
    "electricity FRA in kg (wrong dimension)": (
        "electricity.csv",
        "country,name,carbon_intensity [kg],year,"
        "source_id,notes\nFRA,France,46,2025,ademe_electricity_2025,\n",
    ),
    "parameters refurbished share 2": (
        "parameters.csv",
        "name,value,low,high,unit,source_id,range_sources,notes\n"
        "refurbished_manufacture_share,2,1,3,,ademe_refurbished_2022,,\n",
    ),
    "parameters unknown name": (
        "parameters.csv",
        "name,value,low,high,unit,source_id,range_sources,notes\n"
        "no_such_parameter,2,1,3,,ademe_refurbished_2022,,\n",
    ),
    "pue unknown 0.5": (
        "pue.csv",
        "provider,pue,low,high,source_id,range_sources,notes\nunknown,0.5,0.4,0.6,uptime_2024,,\n",
    ),
    "pue unknown 1e308": (
        "pue.csv",
        "provider,pue,low,high,source_id,range_sources,notes\nunknown,1e308,1e308,1e308,uptime_2024,,\n",
    ),
    "sources: a row with a formula title": ("sources.csv", None),
}

for name, (file_name, content) in OTHER_OVERLAYS.items():

    @case("factors", f"overlay: {name}", "exit 2, or finite figures (estimate and ai estimate)")
    def other_overlay(
        tmp: Path, file_name: str = file_name, content: str | None = content
    ) -> tuple[bool, str]:
        if content is None:
            from redteam_kit import ROOT

            base = (ROOT / "emission_factors" / "sources.csv").read_text(encoding="utf-8")
            header = base.splitlines()[0]
            first = base.splitlines()[1].split(",")
            first[1] = '"=HYPERLINK(""http://x"")"'
            content = header + "\n" + ",".join(first) + "\n"
        factors = write(tmp / "f" / file_name, content)
        r = greenit("estimate", small(tmp), "--factors", factors.parent, "--json")
        problem = ok_or_user_error(r)
        a = greenit("ai", "estimate", AI_LOG, USAGE, "--factors", factors.parent, "--json")
        problem = problem or ok_or_user_error(a, rows="runs")
        return verdict(problem, r.brief() + " | ai " + a.brief())


@case("factors", "factor files that are not tables", "exit 2 each")
def not_tables(tmp: Path) -> tuple[bool, str]:
    problems = []
    for name, data in {
        "devices.csv": b"",
        "sources.csv": b"\x00\x01\x02" * 100,
        "electricity.csv": "é".encode("utf-16"),
        "pue.csv": b"a,b\n" + b"1,2,3,4\n" * 3,
        "devices.xlsx": b"PK\x03\x04 not a zip",
    }.items():
        folder = tmp / name.replace(".", "_")
        write(folder / name, data)
        r = greenit("estimate", small(tmp), "--factors", folder, "--json")
        problem = user_error(r)
        if problem and r.code == 0:
            problem = "accepted in silence" if name != "devices.xlsx" else None
        if problem:
            problems.append(f"{name}: {problem}")
    return verdict("; ".join(problems) or None)


for target in ["/dev/null", "/dev/zero", "/", "/proc/self/status", "no/such/dir"]:

    @case("factors", f"--factors {target}", "exit 2, bounded")
    def special_factors(tmp: Path, target: str = target) -> tuple[bool, str]:
        r = greenit("estimate", small(tmp), "--factors", target, "--json", timeout=60)
        return verdict(user_error(r), r.brief())
