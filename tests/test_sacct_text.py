"""Slurm sacct as people save it (issue 19): the terminal's fixed-width table, ``-p``/``-P`` text
with a ``|`` in a job name, requeued jobs (``-D``), typed GRES, and values sacct cut with ``+``.

The fixed-width lines are written here the way SchedMD's ``print_fields.c`` prints them (commit
284c3b95: ``%*.*s `` per field, a string longer than its width cut with its last character
replaced by ``+``, numbers and times never cut), so every layout can be tried on the same jobs.
"""

from __future__ import annotations

import pytest

from conftest import ROOT
from greenit.api import estimate_ai_files
from greenit.errors import InputFileError
from greenit.parsing.formats.sacct import fixed_width, parsable
from greenit.parsing.formats.slurm import gpus_shown

REAL = ROOT / "tests" / "fixtures" / "real"


def clock(seconds: int) -> str:
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    return (f"{days}-" if days else "") + f"{hours:02d}:{minutes:02d}:{secs:02d}"


def printed(value, width: int, kind: str) -> str:
    """One field as print_fields.c prints it, with its trailing space."""
    size = abs(width)
    if kind == "str":
        text = " " if value is None else str(value)
        if len(text) > size:
            text = text[: size - 1] + "+"
    else:  # numbers and times: never cut
        text = " " if value is None else (clock(value) if kind == "time" else str(value))
    return (text.rjust(size) if width > 0 else text.ljust(size)) + " "


def render(fields: list[tuple[str, int, str]], rows: list[tuple]) -> str:
    head = "".join(
        (name[: abs(n)].rjust(abs(n)) if n > 0 else name[: abs(n)].ljust(abs(n))) + " "
        for name, n, _ in fields
    )
    dashes = "".join("-" * abs(n) + " " for _, n, _ in fields)
    body = ["".join(printed(row[i], n, kind) for i, (_, n, kind) in enumerate(fields)) for row in rows]
    return "\n".join([head, dashes, *body]) + "\n"


TRES_2 = "billing=32,cpu=32,gres/gpu=2,mem=128G,node=1"
TRES_8_TYPED = "billing=128,cpu=128,gres/gpu:a100=8,gres/gpu=8,mem=1000G,node=2"
#: (JobID, JobName, Partition, AllocTRES, Elapsed s, State): a requeued job shown with -D
JOBS = [
    ("900101", "ft-courriers", "gpu_a100", TRES_2, 5 * 3600, "REQUEUED"),
    ("900101.batch", "batch", None, "cpu=32,gres/gpu=2,mem=128G,node=1", 5 * 3600, "CANCELLED"),
    ("900101", "ft-courriers", "gpu_a100", TRES_2, 10 * 3600, "COMPLETED"),
    ("900101.batch", "batch", None, "cpu=32,gres/gpu=2,mem=128G,node=1", 10 * 3600, "COMPLETED"),
    (
        "900102",
        "entr|fr-v2-courriers",
        "gpu_h100",
        "billing=16,cpu=16,gres/gpu=1,mem=64G,node=1",
        2712,
        "FAILED",
    ),
    ("900107", "pretrain-fr", "gpu_a100", TRES_8_TYPED, 10 * 86400 + 4 * 3600, "TIMEOUT"),
    (
        "900107.batch",
        "batch",
        None,
        "cpu=64,gres/gpu:a100=4,gres/gpu=4,mem=500G,node=1",
        10 * 86400,
        "CANCELLED",
    ),
]
#: GPU-hours by hand: 2 × 5 + 2 × 10 (the requeued records add up), 1 × 2712 s, 8 × 244 h
EXPECTED_GPU_HOURS = {"900101": 30.0, "900102": 2712 / 3600, "900107": 8 * 244.0}


def fields(tres_width: int, name_width: int = 10) -> list[tuple[str, int, str]]:
    return [
        ("JobID", -12, "str"),
        ("JobName", name_width, "str"),
        ("Partition", 10, "str"),
        ("AllocTRES", tres_width, "str"),
        ("Elapsed", 10, "time"),
        ("State", 10, "str"),
    ]


def gpu_hours(path) -> tuple[dict, dict]:
    result = estimate_ai_files([path], year=2025).result()
    jobs = {r["run_id"]: r for r in result["runs"] + result["flagged"] if not r.get("part_of")}
    return {j: r.get("accelerator_hours") for j, r in jobs.items()}, result


@pytest.mark.parametrize("tres_width", [80, -80, 70])
@pytest.mark.parametrize("name_width", [10, 30, -30])
def test_a_fixed_width_export_gives_the_gpu_hours_of_the_parsable_one(tmp_path, tres_width, name_width):
    path = tmp_path / "sacct.txt"
    path.write_text(render(fields(tres_width, name_width), JOBS), encoding="utf-8")
    hours, result = gpu_hours(path)
    assert hours == pytest.approx(EXPECTED_GPU_HOURS)
    assert result["runs_in"] == len(JOBS) and result["jobs_in"] == 3
    pipe = tmp_path / "sacct_p.txt"
    header = "JobID|JobName|Partition|AllocTRES|Elapsed|State"
    lines = [
        "|".join("" if v is None else clock(v) if i == 4 else str(v) for i, v in enumerate(j)) for j in JOBS
    ]
    pipe.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    assert gpu_hours(pipe)[0] == pytest.approx(EXPECTED_GPU_HOURS)  # the | in a name read back


def test_the_research_fixture_requeued_cut_and_overflowing():
    hours, result = gpu_hours(REAL / "sacct_requeue_alloctres_fixed.txt")
    assert hours == pytest.approx(EXPECTED_GPU_HOURS)
    assert sum(hours.values()) == pytest.approx(30 + 0.753333 + 1952, rel=1e-5)
    jobs = {r["run_id"]: r for r in result["runs"] if not r.get("part_of")}
    assert (jobs["900101"]["hours"], jobs["900101"]["accelerator_count"]) == (15.0, 2.0)  # not 4 GPUs
    assert "job relancé 1 fois (sacct -D) : 2 enregistrements" in jobs["900101"]["notes"]
    assert "8 GPU comptés d'après les types lisibles" in jobs["900107"]["notes"]
    assert jobs["900107"]["hours"] == 244.0  # the 11-character Elapsed pushed its line
    assert "valeurs coupées par sacct (« + ») dans JobID (4), JobName (4), AllocTRES (9)" in str(
        result["files"][0]["notes"][0]
    )


@pytest.mark.parametrize(
    "tres, count, cut",
    [
        (TRES_2, 2.0, None),
        ("billing=32,cpu=32,gres/gpu=2,mem=128G,n+", 2.0, None),
        ("billing=32,cpu=32,gres/gpu=1+", float("nan"), "unknown"),  # 1+ may be 16
        ("billing=32,cpu=32,gres/gp+", float("nan"), "unknown"),
        ("billing=32,cpu=3+", float("nan"), "unknown"),
        ("billing=16,cpu=16,mem=64G,node=1", 0.0, None),
        ("billing=16,cpu=16,mem=6+", 0.0, None),  # past gres: no GPU was cut
        ("billing=128,cpu=128,gres/gpu:a100=8,gre+", 8.0, "typed"),
        ("billing=128,cpu=128,gres/gpu:a100=8,gres/gpu=8,m+", 8.0, None),
        ("cpu=8,gres/gpu:a100=4,gres/gpu=4,node=1", 4.0, None),  # typed and plain: counted once
        ("cpu=8,gres/gpu:a100=2,gres/gpu:h100=2,gres/gpu=4", 4.0, None),
        ("cpu=8,gres/gpu:a100=2,gres/gpu:h100=2", 4.0, None),
    ],
)
def test_what_a_cut_alloctres_can_and_cannot_tell(tres, count, cut):
    got_count, _, got_cut = gpus_shown(tres)
    assert got_cut == cut
    assert got_count == pytest.approx(count, nan_ok=True)


def test_a_job_whose_gpu_count_was_cut_is_flagged_never_zero(tmp_path):
    rows = [
        ("900200", "train", "gpu_a100", "billing=32,cpu=32,gres/gpu=16,mem=128G,node=1", 3600, "COMPLETED")
    ]
    path = tmp_path / "narrow.txt"
    path.write_text(render(fields(28), rows), encoding="utf-8")  # cut inside gres/gpu=16
    _, result = gpu_hours(path)
    assert result["runs_estimated"] == 0
    assert "AllocTRES coupé par sacct avant le nombre de GPU" in result["flagged"][0]["reason"]


def test_a_cut_job_id_is_flagged(tmp_path):
    rows = [("123456789_1234", "train", "gpu_a100", TRES_2, 3600, "COMPLETED")]
    path = tmp_path / "cut_id.txt"
    path.write_text(render(fields(60), rows), encoding="utf-8")
    _, result = gpu_hours(path)
    assert result["flagged"][0]["run_id"] == "123456789_1+"
    assert "JobID coupé par sacct" in result["flagged"][0]["reason"]


def test_sacct_s_default_format_is_refused_with_the_command_to_run(run_cli):
    code, _, err = run_cli("ai", "estimate", REAL / "sacct_default_fixed.txt")
    assert code == 2 and "Traceback" not in err
    assert "export sacct sans durée ni ressources" in err
    assert "sacct -P -D --format=JobID,JobName,Partition,Account,AllocTRES,Elapsed,State,Start" in err


def test_a_pipe_in_a_job_name_no_longer_refuses_the_whole_export():
    plain, _ = gpu_hours(REAL / "sacct_parsable2.txt")
    piped, result = gpu_hours(REAL / "sacct_pipe_in_jobname.txt")
    assert piped == plain and result["runs_in"] == 20


@pytest.mark.parametrize("trailing", ["", "|"], ids=["-P", "-p"])
def test_a_pipe_in_two_free_text_fields_flags_only_its_line(tmp_path, trailing):
    lines = [
        "JobID|JobName|Comment|Partition|AllocTRES|Elapsed",
        "1|a|b|x|gpu_a100|cpu=1,gres/gpu=1|01:00:00",  # a | in JobName or in Comment? cannot tell
        "2|train||gpu_a100|cpu=1,gres/gpu=2|02:00:00",
    ]
    path = tmp_path / "two.txt"
    path.write_text("\n".join(line + trailing for line in lines) + "\n", encoding="utf-8")
    frame = parsable(path.read_text().splitlines(), str(path))
    assert frame["JobID"].tolist() == ["1", "2"]
    assert frame.attrs["row_reasons"][0][0].render("en").startswith("line of 7 fields for 6 columns")
    _, result = gpu_hours(path)
    assert result["runs_in"] == 2 and [r["run_id"] for r in result["runs"]] == ["2"]


def test_titles_cut_to_their_width_are_read_as_sacct_s_fields():
    lines = ["JobID      AllocT Elaps ", "---------- ------ ----- ", "5          cpu=1+ 01:00:00 "]
    frame = fixed_width(lines, "x")
    assert frame.attrs["headers"] == ["JobID", "AllocTRES", "Elapsed"]
    assert frame["Elapsed"].tolist() == ["01:00:00"]


def test_an_export_without_durations_is_an_input_error(tmp_path):
    from greenit.parsing.formats.sacct import read

    path = tmp_path / "s.txt"
    path.write_text("JobID|State\n1|COMPLETED\n", encoding="utf-8")
    with pytest.raises(InputFileError, match="sans durée"):
        read(path)
