"""What the red-team cases share: a registry, a bounded subprocess runner and the promise checks.

A case is a function returning ``(ok, got)``; it gets a fresh temporary folder. ``greenit()``
runs the CLI with a wall-clock limit and an address-space limit, and measures its peak memory
(``os.wait4``). The checks return ``None`` when the promise holds, else what was seen instead.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else sys.executable
REAL = ROOT / "tests" / "fixtures" / "real"
TOWN = ROOT / "examples" / "ville-exemple"
GLPI = TOWN / "inventaire_glpi.csv"
AI_LOG = TOWN / "journal_ia.csv"
USAGE = TOWN / "usage_ia_generative.csv"
STUB = ROOT / "tests" / "stub_codecarbon"
MEMORY_LIMIT = 6 * 2**30
#: the bounds every case of "pathological input" must stay within
BOUND_S, BOUND_MIB = 30.0, 2048


@dataclass
class Case:
    area: str
    name: str
    expected: str
    check: Callable[[Path], tuple[bool, str]]


CASES: list[Case] = []


def case(area: str, name: str, expected: str):
    """Register the decorated function ``check(tmp) -> (ok, got)`` as a case."""

    def register(check: Callable[[Path], tuple[bool, str]]):
        CASES.append(Case(area, name, expected, check))
        return check

    return register


def run_case(c: Case) -> tuple[bool, str, float]:
    start = time.perf_counter()
    tmp = Path(tempfile.mkdtemp(prefix="greenit-redteam-"))
    try:
        ok, got = c.check(tmp)
    except Exception as error:  # a broken harness is a broken case, said plainly
        ok, got = False, f"harness error {type(error).__name__}: {str(error)[:200]}"
    finally:
        for path in tmp.rglob("*"):  # folders made unreadable by a case
            if path.is_dir() and not path.is_symlink():
                path.chmod(0o755)
        shutil.rmtree(tmp, ignore_errors=True)
    return ok, " ".join(got.split())[:220], time.perf_counter() - start


@dataclass
class Result:
    code: int
    out: str
    err: str
    seconds: float
    mib: float
    timed_out: bool

    def brief(self) -> str:
        tail = (self.err.strip().splitlines() or [""])[-1][:140]
        extra = " TIMEOUT" if self.timed_out else ""
        return f"exit {self.code}{extra}, {self.seconds:.1f} s, {self.mib:.0f} MiB: {tail}"


def env_for(stub: bool = False, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("GREENIT_LANG", None)
    env["COLUMNS"] = "100"
    if stub and os.environ.get("GREENIT_REDTEAM_REAL_CODECARBON") != "1":
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(STUB), env.get("PYTHONPATH", "")]))
    env.update(extra)
    return env


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run(
    args: Iterable[str | Path],
    *,
    stdin: bytes | None = None,
    timeout: float = 60,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> Result:
    """Run ``args`` bounded in time (then SIGKILL to its group) and memory; peak RSS measured."""
    process = subprocess.Popen(
        [str(a) for a in args],
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env or env_for(),
        cwd=cwd,
        start_new_session=True,
        preexec_fn=_limit_memory,
    )
    chunks: dict[str, list[bytes]] = {"out": [], "err": []}

    def pump(stream, key: str) -> None:
        for block in iter(lambda: stream.read(65536), b""):
            chunks[key].append(block)

    threads = [
        threading.Thread(target=pump, args=(process.stdout, "out"), daemon=True),
        threading.Thread(target=pump, args=(process.stderr, "err"), daemon=True),
    ]
    for thread in threads:
        thread.start()
    if stdin is not None:
        try:
            process.stdin.write(stdin)
            process.stdin.close()
        except BrokenPipeError:
            pass
    timed_out = threading.Event()

    def kill() -> None:
        timed_out.set()
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    timer = threading.Timer(timeout, kill)
    start = time.perf_counter()
    timer.start()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    timer.cancel()
    process.returncode = os.waitstatus_to_exitcode(status)
    for thread in threads:
        thread.join(5)
    out = b"".join(chunks["out"]).decode("utf-8", "replace")
    err = b"".join(chunks["err"]).decode("utf-8", "replace")
    return Result(process.returncode, out, err, seconds, usage.ru_maxrss / 1024, timed_out.is_set())


def greenit(*args: str | Path, **kwargs) -> Result:
    return run([PYTHON, "-m", "greenit", *args], **kwargs)


def python(code: str, **kwargs) -> Result:
    return run([PYTHON, "-c", code], **kwargs)


# ---- the promises -------------------------------------------------------------------------


PYTHON_LEAK = re.compile(
    r"Traceback \(most recent call last\)|Exception ignored|\b[A-Z]\w*(Error|Exception|Warning): "
)


def traceback_in(r: Result) -> str | None:
    """A Python traceback, exception or warning text leaked to the user, or a death by signal."""
    for text in (r.err, r.out):
        found = PYTHON_LEAK.search(text)
        if found:
            return f"{found.group(0).strip()!r} in output"
    if r.code < 0 or r.code not in (0, 1, 2) and not r.timed_out:
        return f"exit {r.code}"
    return None


def user_error(r: Result, *, bound_s: float = BOUND_S) -> str | None:
    """Exit 2, one or two lines on stderr, no traceback, nothing on stdout, in bounded time."""
    if r.timed_out or r.seconds > bound_s:
        return f"took {r.seconds:.0f} s"
    if r.code != 2:
        return f"exit {r.code}: {r.err.strip()[-200:] or r.out.strip()[:200]}"
    problem = traceback_in(r)
    if problem:
        return problem + ": " + r.err.strip()[-200:]
    lines = [line for line in r.err.splitlines() if line.strip()]
    if not 1 <= len(lines) <= 2:
        return f"{len(lines)} lines on stderr: {r.err.strip()[:300]}"
    return None


def bounded(r: Result, *, bound_s: float = BOUND_S, bound_mib: float = BOUND_MIB) -> str | None:
    if r.timed_out or r.seconds > bound_s:
        return f"took {r.seconds:.0f} s"
    if r.mib > bound_mib:
        return f"peak {r.mib:.0f} MiB"
    return None


def strict_json(text: str):
    """The parsed object, or raise ValueError on NaN/Infinity or trailing text."""

    def refuse(constant: str):
        raise ValueError(f"non-finite {constant} in JSON")

    return json.loads(text, parse_constant=refuse)


def numbers(value, path: str = "") -> Iterable[tuple[str, float]]:
    if isinstance(value, bool):
        return
    if isinstance(value, (int, float)):
        yield path, float(value)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from numbers(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from numbers(item, f"{path}[{index}]")


#: no town's digital footprint reaches a million tonnes a year; no single row a hundred thousand
PLAUSIBLE_KG = 1e9


def json_result(r: Result, *, rows: str = "rows") -> tuple[dict | None, str | None]:
    """The strict JSON of a successful ``--json`` run with its accounting and figures checked."""
    problem = bounded(r) or traceback_in(r)
    if problem:
        return None, problem
    if r.code != 0:
        return None, f"exit {r.code}: {r.err.strip()[-200:]}"
    try:
        data = strict_json(r.out)
    except ValueError as error:
        return None, f"not strict JSON: {error}"
    if rows == "rows" and data["rows_in"] != data["rows_estimated"] + data["rows_flagged"]:
        return data, f"rows_in {data['rows_in']} != {data['rows_estimated']} + {data['rows_flagged']}"
    if rows == "runs" and data["runs_in"] != data["runs_estimated"] + data["runs_flagged"]:
        return data, f"runs_in {data['runs_in']} != {data['runs_estimated']} + {data['runs_flagged']}"
    for path, value in numbers(data):
        if not math.isfinite(value):
            return data, f"{path} = {value}"
        if path.endswith("kgco2e") and not -1e-9 <= value <= PLAUSIBLE_KG:
            return data, f"{path} = {value:g} kg: implausible"
        if path.endswith("_kwh") and not -1e-9 <= value <= 1e12:
            return data, f"{path} = {value:g} kWh: implausible"
    return data, None


def ok_or_user_error(r: Result, **kwargs) -> str | None:
    """Either a strict, accounted JSON result or a clean user error."""
    if r.code == 0:
        return json_result(r, **kwargs)[1]
    return user_error(r)


def formulas_in_csv(path: Path) -> list[str]:
    """Cells a spreadsheet would evaluate (as Excel/LibreOffice read a CSV)."""
    raw = path.read_bytes().decode("utf-8-sig", "replace")
    delimiter = ";" if raw.split("\n", 1)[0].count(";") >= raw.split("\n", 1)[0].count(",") else ","
    bad = []
    for row in csv.reader(io.StringIO(raw, newline=""), delimiter=delimiter):
        for cell in row:
            if _live(cell):
                bad.append(cell[:60])
    return bad


def _live(cell: str) -> bool:
    stripped = cell.lstrip(" \t\r\n\u00a0\u3000")
    if not stripped:
        return False
    first = stripped[0]
    if first in "=+@\uff1d\ufe66\uff0b\ufe62\uff20":
        return True
    if first in "-\u2212\uff0d" and not re.fullmatch(r"[-\u2212]\s*\d[\d\s.,]*(e[-+]?\d+)?%?", stripped):
        return True
    return bool(cell[:1] in "\t\r")


def formulas_in_xlsx(path: Path) -> list[str]:
    import openpyxl

    bad = []
    book = openpyxl.load_workbook(path)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f" or (isinstance(cell.value, str) and _live(cell.value)):
                    bad.append(f"{sheet.title}!{cell.coordinate}={str(cell.value)[:50]}")
    return bad


def write(path: Path, text: str | bytes, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode(encoding))
    return path


def inventory(path: Path, rows: Iterable[Iterable[object]], header=("Type", "Quantité")) -> Path:
    lines = [";".join(header)] + [";".join(str(c) for c in row) for row in rows]
    return write(path, "\n".join(lines) + "\n")


def verdict(problem: str | None, ok_text: str = "as promised") -> tuple[bool, str]:
    return (problem is None, ok_text if problem is None else problem)
