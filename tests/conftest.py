from __future__ import annotations

import json
import os
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pytest
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_INVENTORY = ROOT / "examples" / "ville-exemple" / "inventaire_glpi.csv"
SAMPLE_AI_LOG = ROOT / "examples" / "ville-exemple" / "journal_ia.csv"
#: The factor tables' version, read from the tables themselves (never a literal in a test).
FACTORS_VERSION = (ROOT / "emission_factors" / "VERSION").read_text(encoding="utf-8").strip()


def factor_row(table: str, key: str) -> dict[str, str]:
    """The row of ``emission_factors/<table>.csv`` whose first column is ``key``, as written.

    Read with the standard library, not greenit's loader: a test's expected figure comes from the
    source table itself, so a change of the table moves test and code together, and a loader bug
    is not copied into the expectation.
    """
    import csv

    with (ROOT / "emission_factors" / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row[next(iter(row))] == key:
                return row
    raise KeyError(f"{table}.csv has no row {key!r}")


_LAPTOP = factor_row("devices", "laptop")
#: The laptop's manufacture [kgCO2e] (ADEME/Arcep 2025: 170 + 12.3), from emission_factors/devices.csv.
LAPTOP_MANUFACTURE = float(_LAPTOP["manufacture [kgCO2e]"])
#: The laptop's end of life [kgCO2e] and lifespan [year], from the same row.
LAPTOP_END_OF_LIFE = float(_LAPTOP["end_of_life [kgCO2e]"])
LAPTOP_LIFESPAN = float(_LAPTOP["lifespan [year]"])
#: Two devices, for the reports whose subject is elsewhere (an AI log, its periods): the report is
#: estimated, compared and drawn whole all the same, for a second of CPU less than the sample
#: town's 2,000 rows and their levers.
SMALL_INVENTORY = (
    "Nom;Entité;Type;Date d'achat\nPC-1;Mairie;Portable;01-03-2021\nEC-1;Écoles;Écran;01-01-2022\n"
)
#: France's grid factor [kgCO2e/kWh] (ADEME Base Empreinte), from emission_factors/electricity.csv.
FRANCE_GRID = float(factor_row("electricity", "FRA")["carbon_intensity [kgCO2e/kWh]"])


@pytest.fixture
def run_cli():
    """Run ``greenit ARGS…`` as a user would; returns (exit code, stdout, stderr)."""
    from greenit.cli import app
    from greenit.errors import GreenitError

    def run(*args: str):
        runner = CliRunner()
        try:
            result = runner.invoke(app, [str(a) for a in args], catch_exceptions=False)
        except GreenitError as error:  # main() turns these into exit 2
            return 2, "", str(error)
        return result.exit_code, result.stdout, result.stderr

    return run


@pytest.fixture
def run_main(capsys, monkeypatch):
    """Run ``greenit ARGS…`` through the console entry point ``main()`` in this process.

    What ``python -m greenit`` does once Python has started — the same ``main()``, its exit code
    and its one-line errors — without the 1.5 s of CPU a new interpreter, its imports and the
    factor tables cost. A few tests keep a real subprocess to prove the entry point itself.
    Returns a ``subprocess.CompletedProcess`` as ``subprocess.run(..., text=True)`` would.
    """
    import subprocess
    import sys

    from greenit.cli import main

    def run(*args: object) -> subprocess.CompletedProcess:
        argv = ["greenit", *map(str, args)]
        monkeypatch.setattr(sys, "argv", argv)
        capsys.readouterr()  # what an earlier call printed is not this one's
        try:
            main()
            code = 0
        except SystemExit as done:
            code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
        out, err = capsys.readouterr()
        return subprocess.CompletedProcess(argv, code, out, err)

    return run


@pytest.fixture
def estimate_json(run_cli):
    def run(*args: str) -> dict:
        code, out, err = run_cli("estimate", *args, "--json")
        assert code == 0, err
        return json.loads(out)

    return run


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


#: hosts a test may reach: the machine itself (a Jupyter kernel's ports, a local server)
_LOCAL_HOSTS = {"127.0.0.1", "::1", "localhost", "0.0.0.0", ""}


@pytest.fixture(autouse=True)
def _offline(monkeypatch):
    """The whole suite runs with the network disabled: greenit never needs it at run time.

    A connection to anything but the machine itself raises, and fails the test.
    """
    import socket

    attempts: list = []
    connect, connect_ex, getaddrinfo = socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo

    def local(address) -> bool:
        return not isinstance(address, tuple) or str(address[0]) in _LOCAL_HOSTS  # AF_UNIX: a path

    def guarded(original):
        def call(self, address, *args, **kwargs):
            if not local(address):
                attempts.append(address)
                raise OSError(f"network disabled in tests: {address}")
            return original(self, address, *args, **kwargs)

        return call

    def resolve(host, *args, **kwargs):
        if str(host) not in _LOCAL_HOSTS:
            attempts.append(host)
            raise OSError(f"network disabled in tests: {host}")
        return getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", guarded(connect))
    monkeypatch.setattr(socket.socket, "connect_ex", guarded(connect_ex))
    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    yield attempts
    assert attempts == [], f"a network connection was attempted: {attempts}"


@pytest.fixture(autouse=True)
def _french_by_default():
    """Each test starts in French, the default, whatever a CLI run before it chose."""
    from greenit.i18n import set_language

    set_language("fr")
    yield
    set_language("fr")


@pytest.fixture
def english():
    """Render messages in English for this test (assertions written against the English texts)."""
    from greenit.i18n import set_language

    set_language("en")
    yield


#: The sample town's hosted generative AI usage, beside its inventory and AI run log.
SAMPLE_HOSTED = ROOT / "examples" / "ville-exemple" / "usage_ia_generative.csv"
#: The sample town's register of its AI systems (role, risk class, duties), as the demo gives it.
SAMPLE_REGISTER = ROOT / "examples" / "ville-exemple" / "registre_ia.csv"
#: The levers of the session's sample report: one for equipment, one for hosted AI, one on requests.
SAMPLE_LEVERS = ("lifespan+2", "model=mistral-small-latest:Assistant des agents", "requests=-20%")


@dataclass(frozen=True)
class SampleReport:
    """One ``greenit report`` of the sample town, as a user runs it, with what it printed and wrote."""

    lang: str
    folder: Path
    stdout: str
    stderr: str
    summary: dict
    html: str

    @property
    def html_path(self) -> Path:
        return self.folder / "report.html"

    @cached_property
    def page(self):
        """The report's HTML as a tree (``html_page``)."""
        import html_page

        return html_page.parse(self.html)

    @cached_property
    def text(self) -> str:
        """What a reader sees of the report (``test_report.visible_text``)."""
        from test_report import visible_text

        return visible_text(self.html)


@pytest.fixture(scope="session")
def sample_report(tmp_path_factory):
    """The sample town's full report — equipment, AI runs, hosted AI usage, its AI register, 2025,
    1,000 agents, three levers, charts — built once per session for each language asked, instead of each
    module rebuilding it: ``sample_report("fr")``.

    Built through the CLI, as ``python3 tasks.py demo`` does, when a test first asks for it (so
    under that test's network guard); the language in force before is put back. Under xdist the
    first worker to ask builds it in the session's shared temporary folder, under a lock, and the
    others read what it wrote (4 to 5 s of CPU saved per language and worker).
    """
    levers = [arg for lever in SAMPLE_LEVERS for arg in ("-s", lever)]
    args = [SAMPLE_INVENTORY, "--ai", SAMPLE_AI_LOG, "--ai", SAMPLE_HOSTED, "--ai-register", SAMPLE_REGISTER]
    return _shared_reports(
        tmp_path_factory, "sample_report", lambda folder: [*args, *levers, "--headcount", "1000"]
    )


@pytest.fixture(scope="session")
def flagged_report(tmp_path_factory):
    """The report of ``test_report``'s small inventory and AI run log, 3 rows of 10 flagged and
    one run of 4, 2025, 50 agents, no lever: ``flagged_report("fr")``, built once per session
    and language as :func:`sample_report` is (test_report and test_i18n read the same report).
    """
    from test_report import FLAGGED_AI_LOG, FLAGGED_INVENTORY

    def inputs(folder: Path) -> list:
        inventory = write(folder / "inventaire.csv", FLAGGED_INVENTORY)
        log = write(folder / "journal.csv", FLAGGED_AI_LOG)
        return [inventory, "--ai", log, "--headcount", "50"]

    return _shared_reports(tmp_path_factory, "flagged_report", inputs)


def _shared_reports(tmp_path_factory, name: str, inputs):
    """``build(lang)``: the report of ``inputs(folder)`` (``greenit report`` arguments before
    ``--year 2025 --lang --out``) in ``lang``, built by the first xdist worker that asks, under a
    lock in the run's shared temporary folder, read back by the others.
    """
    built: dict[str, SampleReport] = {}
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):  # each worker's folder is in the run's own
        shared = shared.parent

    def build(lang: str = "fr") -> SampleReport:
        if lang not in built:
            with _held(shared / f"{name}_{lang}.lock"):
                built[lang] = _sample_report(shared / f"{name}_{lang}", lang, inputs)
        return built[lang]

    return build


@contextmanager
def _held(lock: Path):
    """An exclusive lock on ``lock`` across the xdist workers (where ``fcntl`` exists)."""
    try:
        import fcntl
    except ImportError:  # Windows: each worker waits for nothing, and may build its own copy
        yield
        return
    with lock.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _sample_report(folder: Path, lang: str, inputs) -> SampleReport:
    """The report in ``folder``: read back where a worker built it already, else built there."""
    from greenit.cli import app
    from greenit.i18n import get_language, set_language

    printed = folder / "printed.json"  # written last: the report is whole once it is there
    out = folder / "rapport"
    if not printed.exists():
        folder.mkdir(exist_ok=True)
        args = [*inputs(folder), "--year", "2025", "--lang", lang, "--out", out]
        before = get_language()
        try:
            result = CliRunner().invoke(app, ["report", *map(str, args)], catch_exceptions=False)
        finally:
            set_language(before)
        assert result.exit_code == 0, result.stderr
        printed.write_text(json.dumps({"stdout": result.stdout, "stderr": result.stderr}), encoding="utf-8")
    said = json.loads(printed.read_text(encoding="utf-8"))
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    html = (out / "report.html").read_text(encoding="utf-8")
    return SampleReport(lang, out, said["stdout"], said["stderr"], summary, html)
