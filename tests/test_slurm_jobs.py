"""Slurm sacct exports: every line read is a run (the contract's runs_in), each job counted once
on its own line, its steps rows part_of it at 0; people are shown jobs; the partition's GPU
model wins over a global --accelerator.
"""

import csv
import json
import re

import pytest
from test_report import visible_text

from conftest import ROOT, SMALL_INVENTORY, write
from greenit.api import estimate_ai_files

REAL = ROOT / "tests" / "fixtures" / "real"
SACCT = REAL / "sacct_parsable2.txt"
TABLES = ROOT / "emission_factors"


def _row(name: str, key: str, value: str) -> dict[str, str]:
    with (TABLES / f"{name}.csv").open(encoding="utf-8") as handle:
        return next(row for row in csv.DictReader(handle) if row[key] == value)


def _lines() -> list[dict[str, str]]:
    """The fixture's lines, read with the csv module (independently of greenit's reader)."""
    with SACCT.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="|"))


def write_partitions(tmp_path, text="partition,accelerator\ngpu_h100,H100\ngpu_a100,A100\n"):
    return write(tmp_path / "slurm_partitions.csv", text)


def _job_of(job_id: str) -> str:
    """The job a sacct line belongs to (``812345.batch`` → ``812345``), written here from the
    manual's JobID forms, not by greenit.
    """
    return job_id.split(".", 1)[0].split("+", 1)[0]


#: ai estimate totals on the fixture on main before steps became rows again (commit 55d1ba0):
#: the job rows' figures must not move when the step lines come back as rows at 0
TOTAL_KWH, TOTAL_KGCO2E = 193.92764, 11.5798742


def test_slurm_export_counts_every_line_read_and_each_job_once(tmp_path, english):
    estimate = estimate_ai_files([SACCT], factors=write_partitions(tmp_path))
    result = estimate.result()
    lines = _lines()
    steps = [line["JobID"] for line in lines if "." in line["JobID"]]
    # the contract (DESIGN.md): runs_in counts every data row read, = estimated + flagged
    assert result["runs_in"] == result["rows_in"] == len(lines) == 20
    assert result["runs_estimated"] + result["runs_flagged"] == result["runs_in"]
    assert (result["runs_estimated"], result["runs_flagged"]) == (16, 4)  # 812351's 2 steps flagged with it
    assert (result["steps_in"], result["jobs_in"]) == (len(steps), 20 - len(steps)) == (12, 8)
    assert (result["jobs_estimated"], result["jobs_flagged"]) == (6, 2)
    read = {"file": "", "kind": "slurm", "rows": 20, "runs": 20, "step_rows": 12}
    assert result["files"][0] | {"file": ""} == read
    # every input line is a row, in file order, with its own JobID
    runs = estimate.runs
    assert runs["run_id"].tolist() == [line["JobID"] for line in lines]
    listed = [r["run_id"] for r in result["runs"]] + [r["run_id"] for r in result["flagged"]]
    assert sorted(listed) == sorted(line["JobID"] for line in lines)
    runs = runs.set_index("run_id")
    assert runs.loc[steps, "part_of"].tolist() == [_job_of(s) for s in steps]
    assert runs.drop(index=steps)["part_of"].isna().all()
    assert runs.loc["812345", "steps"] == "812345.batch, 812345.extern, 812345.0"
    assert runs["step_rows"].sum() == 12
    # a step adds nothing: its job's line carries the whole job
    counted = runs.loc[[s for s in steps if not s.startswith("812351")]]
    assert (counted["estimate_status"] == "estimated").all()
    assert (counted[["energy_kwh", "usage_kgco2e", "embodied_kgco2e", "total_kgco2e"]] == 0).all().all()
    assert counted["accelerator_hours"].isna().all()
    assert runs.loc["812345.0", "notes"].render("en") == "step of job 812345: counted in its job"
    assert runs.loc["812345.0", "phase"] == runs.loc["812345", "phase"] == "fine-tuning"  # the job's
    hours = runs.groupby("accelerator")["accelerator_hours"].sum()
    assert hours["h100_sxm"] == pytest.approx(53.0 + 451 / 3600 + 7541 / 3600)  # 55.220000
    assert hours["a100_sxm_80gb"] == pytest.approx((2712 + 4 * 172817 + 19200) / 3600)  # 198.105555
    job = runs.loc["812345"]  # the job line's 1-02:30:00 on 2 H100, not its step .0's 1-02:29:41
    assert (job["hours"], job["cpu_cores"]) == (26.5, 32)
    assert job["memory_gb"] == pytest.approx(128 * 2**30 / 1e9)
    memory_w = 128 * 2**30 / 1e9 * 0.3725
    power_w = float(_row("accelerators", "accelerator", "h100_sxm")["power [W]"])
    pue = float(_row("pue", "provider", "unknown")["pue"])
    assert job["energy_kwh"] == pytest.approx(26.5 * (2 * power_w + memory_w) * pue / 1000)
    assert runs.loc["812350", "hours"] == pytest.approx(172817 / 3600)  # TIMEOUT: the job's, not .batch's
    assert "job still running" in str(runs.loc["812390", "notes"])
    pending = runs.loc["812391"]  # never ran: flagged, never a 0 kWh run
    assert pending["estimate_status"] == "flagged" and "did not run" in str(pending["reason"])
    cpu_job = str(runs.loc["812351", "reason"])
    assert "CPU power" in cpu_job
    for step in ("812351.batch", "812351.extern"):  # flagged with their job, saying why
        assert runs.loc[step, "estimate_status"] == "flagged"
        assert str(runs.loc[step, "reason"]) == f"step of job 812351, which is flagged: {cpu_job}"
    # the totals are the jobs' alone, as before the steps came back as rows
    assert result["totals"]["energy_kwh"] == pytest.approx(TOTAL_KWH, rel=1e-6)
    assert result["totals"]["total_kgco2e"] == pytest.approx(TOTAL_KGCO2E, rel=1e-6)
    assert result["totals"]["energy_kwh"] == pytest.approx(runs.drop(index=steps)["energy_kwh"].sum())
    # a step never makes a project/phase line of its own, nor a run
    groups = {(g["project"], g["phase"]): g["runs"] for g in result["by_project"]}
    assert groups == {
        ("ville-ia", "training"): 1,
        ("ville-ia", "fine-tuning"): 2,
        ("ville-ia", "other"): 1,
        ("ville-ia", "inference"): 2,
    }
    assert sum(g["runs"] for g in result["by_phase"]) == 6


def test_slurm_totals_are_the_same_with_the_accelerator_option(run_cli):
    code, out, err = run_cli("ai", "estimate", SACCT, "--accelerator", "H100", "--json")
    assert code == 0, err
    result = json.loads(out)
    assert (result["runs_in"], result["jobs_in"], result["steps_in"]) == (20, 8, 12)
    assert result["totals"]["energy_kwh"] == pytest.approx(TOTAL_KWH, rel=1e-6)  # 194 kWh
    assert result["totals"]["total_kgco2e"] == pytest.approx(TOTAL_KGCO2E, rel=1e-6)  # 11.6 kgCO2e


def test_console_counts_jobs_and_says_the_lines_read(run_cli):
    code, out, err = run_cli("ai", "estimate", SACCT, "--accelerator", "H100")
    assert code == 0, err
    assert "20 lignes lues : 8 jobs (12 lignes d'étapes rattachées)" in out
    assert "8 exécutions lues : 6 estimées, 2 signalées" in out
    assert re.search(r"Total\s+│\s+│\s+6 │", out)  # the table's runs: jobs, not step lines
    assert "2 lignes signalées" in out and "812351.batch" not in out  # the job's line says why
    code, out, _ = run_cli("ai", "estimate", SACCT, "--accelerator", "H100", "--lang", "en")
    assert "20 lines read: 8 jobs (12 step lines attached to their jobs)" in out
    assert "8 runs read: 6 estimated, 2 flagged" in out


def test_report_counts_jobs_not_step_lines(run_cli, tmp_path):
    out = tmp_path / "r"
    inventory = write(tmp_path / "parc.csv", SMALL_INVENTORY)
    code, _, err = run_cli("report", inventory, "--ai", SACCT, "--year", "2025", "--out", out)
    assert code == 0, err
    text = visible_text((out / "report.html").read_text(encoding="utf-8"))
    assert "et les 6 exécutions d'IA estimées" in text
    assert "Journaux d'IA : 2 lignes signalées sur 8." in text
    assert "2 exécutions sur 8 n'ont pas pu être estimées et ne sont pas comptées" in text
    assert (
        "2 exécutions sur 8 n'ont pas pu être estimées ; elles ne sont pas comptées dans les totaux." in text
    )
    table = text.split("Projet Phase Exécutions kWh")[1]  # the AI table: runs per project and phase
    phases = r"entraînement|ajustement \(fine-tuning\)|autre|inférence"
    assert re.findall(rf"ville-ia (?:{phases}) (\d+) ", table) == ["1", "2", "1", "2"]
    assert "812351.batch" not in text and "étape du job" not in text
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert (summary["ai"]["runs_in"], summary["ai"]["jobs_in"]) == (20, 8)


def test_slurm_export_without_the_gpu_model_asks_for_it(run_cli, tmp_path):
    text = "JobID|JobName|Partition|Elapsed|AllocTRES|State\n"
    text += "5|train|gpu|02:00:00|cpu=8,gres/gpu=2,node=1|COMPLETED\n"
    text += "5.batch|batch||02:00:00|cpu=8,gres/gpu=2,node=1|COMPLETED\n"
    path = write(tmp_path / "sacct.txt", text)
    code, _, err = run_cli("ai", "estimate", path, "--json", "--lang", "en")
    assert code == 2 and "give --accelerator MODEL" in err  # nothing estimated: exit 2, the reason said
    result = estimate_ai_files([path]).result("en")
    assert (result["runs_in"], result["runs_flagged"], result["jobs_in"]) == (2, 2, 1)
    assert "give --accelerator MODEL" in result["flagged"][0]["reason"]
    assert result["flagged"][1]["reason"].startswith("step of job 5, which is flagged: ")
    code, out, _ = run_cli("ai", "estimate", path, "--json", "--accelerator", "H100")
    assert code == 0 and '"accelerator_hours": 4.0' in out and '"accelerator": "h100_sxm"' in out
    code, _, err = run_cli("ai", "estimate", path, "--accelerator", "Quantum X9")
    assert code == 2 and "Quantum X9" in err and "h100_sxm" in err


def test_partition_model_wins_over_the_accelerator_option(tmp_path, english):
    runs = estimate_ai_files([SACCT], accelerator="H100").runs.set_index("run_id")
    a100 = runs.loc[["812346", "812350", "812380_3"]]
    assert (a100["accelerator"] == "a100_sxm_80gb").all()  # was h100_sxm: --accelerator applied to all
    assert a100["accelerator_hours"].sum() == pytest.approx((2712 + 4 * 172817 + 19200) / 3600)
    for notes in a100["notes"]:
        assert "partition gpu_a100 → A100; --accelerator H100 not applied" in notes.render("en")
    assert "not applied" not in runs.loc["812345", "notes"].render("en")  # gpu_h100 agrees
    # the user's partition table says what the name does not; an unknown partition takes the option
    text = "JobID|Partition|ElapsedRaw|AllocTRES|State\n1|gpu_p13|3600|gres/gpu=1|COMPLETED\n"
    text += "2|gpu_a100|3600|gres/gpu=1|COMPLETED\n3|gpu|3600|gres/gpu=1|COMPLETED\n"
    table = write_partitions(tmp_path, "partition,accelerator\ngpu_a100,A100 PCIe 40GB\n")
    runs = estimate_ai_files([write(tmp_path / "s.txt", text)], factors=table, accelerator="H100").runs
    assert runs["accelerator"].tolist() == ["v100_sxm2", "a100_pcie_40gb", "h100_sxm"]
    assert "partition gpu_p13 → V100; --accelerator H100 not applied" in runs["notes"][0].render("en")


def test_heterogeneous_jobs_and_steps_without_their_job_line(tmp_path, english):
    text = (
        "JobID|JobName|Partition|Account|AllocCPUS|ElapsedRaw|AllocTRES|State\n"
        "700+0|het-train|gpu_h100|ia|16|3600|billing=16,cpu=16,gres/gpu=2,mem=64G,node=1|COMPLETED\n"
        "700+0.batch|batch||ia|16|3600|cpu=16,gres/gpu=2,mem=64G,node=1|COMPLETED\n"
        "700+1|het-train|gpu_h100|ia|8|1800|billing=8,cpu=8,gres/gpu=1,mem=32G,node=1|COMPLETED\n"
        "700+1.0|python||ia|8|1740|cpu=8,gres/gpu=1,mem=32G,node=1|COMPLETED\n"
        "701+0|het-mixed|gpu_h100|ia|8|7200|cpu=8,gres/gpu=1,node=1|COMPLETED\n"
        "701+1|het-mixed|gpu_a100|ia|8|7200|cpu=8,gres/gpu=2,node=1|COMPLETED\n"
        "702.batch|batch||ia|8|1800|cpu=8,gres/gpu=1,node=1|COMPLETED\n"
        "702.extern|extern||ia|8|1805|billing=8,cpu=8,gres/gpu=1,node=1|COMPLETED\n"
        "703|infer|gpu|ia|8|7200||COMPLETED\n"
        "703.0|python||ia|8|7100|cpu=8,gres/gpu=1,node=1|COMPLETED\n"
    )
    estimate = estimate_ai_files([write(tmp_path / "het.txt", text)], accelerator="L4")
    result, runs = estimate.result(), estimate.runs.set_index("run_id")
    assert (result["rows_in"], result["runs_in"], result["runs_estimated"]) == (10, 10, 10)
    assert (result["jobs_in"], result["steps_in"]) == (5, 5)  # 700, 701+0, 701+1, 702, 703
    het = runs.loc["700+0"]  # components side by side: GPUs and CPUs add up, the longest time
    assert (het["accelerator_count"], het["cpu_cores"], het["hours"]) == (3, 24, 1.0)
    assert het["accelerator_hours"] == pytest.approx(2 * 1.0 + 1 * 0.5)
    assert het["steps"] == "700+0.batch, 700+1, 700+1.0" and het["step_rows"] == 3
    assert runs.loc[["700+0.batch", "700+1", "700+1.0"], "part_of"].tolist() == ["700"] * 3
    assert (runs.loc[["700+1", "700+1.0"], "energy_kwh"] == 0).all()
    assert runs.loc[["701+0", "701+1"], "accelerator"].tolist() == ["h100_sxm", "a100_sxm_80gb"]
    assert runs.loc[["701+0", "701+1"], "part_of"].isna().all()  # two GPU models: two runs
    alone = runs.loc["702.batch"]  # steps without their job line: the first carries the job
    assert (alone["hours"], alone["accelerator"]) == (pytest.approx(1805 / 3600), "l4")  # the longest
    assert (
        alone["notes"]
        .render("en")
        .startswith(
            "job 702's own line is not in the export: estimated from its steps (702.batch, 702.extern)"
        )
    )
    assert runs.loc["702.extern", "part_of"] == "702" and runs.loc["702.extern", "energy_kwh"] == 0
    gap = runs.loc["703"]  # the job line lacks AllocTRES: its step's; Elapsed stays the job's
    assert (gap["accelerator_count"], gap["hours"], gap["accelerator"]) == (1, 2.0, "l4")
    carriers = runs[runs["part_of"].isna()]
    assert result["totals"]["energy_kwh"] == pytest.approx(carriers["energy_kwh"].sum())


def test_slurm_export_as_the_issue_shows_it_uses_the_packaged_partitions(tmp_path):
    text = (
        "JobID|JobName|Partition|Elapsed|AllocTRES|State\n"
        "901|train-asr|gpu_p6|1-02:30:00|billing=24,cpu=24,gres/gpu=4,mem=160G,node=1|COMPLETED\n"
        "901.batch|batch||1-02:30:00|cpu=24,gres/gpu=4,mem=160G,node=1|COMPLETED\n"
        "902|eval|gpu_p13|00:45:12|billing=10,cpu=10,gres/gpu:v100=1,mem=40G,node=1|COMPLETED\n"
    )
    runs = estimate_ai_files([write(tmp_path / "sacct.txt", text)]).runs.set_index("run_id")
    assert list(runs.index) == ["901", "901.batch", "902"]
    assert runs.loc["901", "accelerator"] == "h100_sxm"  # gpu_p6: Jean Zay's H100 partition
    assert runs.loc["901", "accelerator_hours"] == pytest.approx(4 * 26.5)
    assert runs.loc["901", "phase"] == "training"
    assert runs.loc["901", "steps"] == "901.batch"
    assert runs.loc["902", "accelerator_label"] == "v100"  # the typed GRES names the model
    assert runs.loc["902", "hours"] == pytest.approx(45 / 60 + 12 / 3600)
