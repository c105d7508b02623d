"""What ``greenit report`` says on the console: the headline a user can quote, and every file."""

from conftest import SAMPLE_AI_LOG, SAMPLE_HOSTED, SAMPLE_INVENTORY


def test_report_prints_the_headline_with_its_range_and_every_file_written(sample_report):
    report = sample_report("fr")
    printed, summary, out = report.stdout, report.summary, report.folder
    flat = " ".join(printed.split()).replace("\u202f", " ").replace("\u00a0", " ")
    total = summary["headline"]["total_kgco2e"] / 1000
    shown = f"{total:.1f}".replace(".", ",")  # the same total, in tonnes, French decimal comma
    assert f"Empreinte carbone annuelle du numérique, {summary['year']} : {shown} tCO2e (fourchette" in flat
    assert "exécutions d'IA estimées" in flat
    written = [line.strip() for line in printed.splitlines() if line.startswith("  ")]
    on_disk = sorted(p.name for p in out.iterdir())
    assert sorted(p.rsplit("/", 1)[-1] for p in written) == on_disk
    assert f"{len(on_disk)} fichiers écrits dans" in flat and "inventaire_lignes.csv" in on_disk


def test_appendix_d_says_what_each_input_file_is_and_hosted_rows_are_not_called_runs(sample_report):
    page = sample_report("fr").page.text()
    runs = sum(1 for line in SAMPLE_AI_LOG.read_text(encoding="utf-8").splitlines()[1:] if line.strip())
    assert f"{SAMPLE_INVENTORY} (inventaire d'équipements)" in page
    assert f"{SAMPLE_AI_LOG} (journal d'exécutions d'IA, {runs} lignes)" in page
    assert f"{SAMPLE_HOSTED} (relevé d'usage d'IA générative hébergée," in page
    assert "Exécutions ou relevés" in page


def test_every_cited_source_id_links_to_its_entry_in_appendix_b(sample_report):
    page = sample_report("fr").page
    links = {href.removeprefix("#source-") for href in page.values("href") if href.startswith("#source-")}
    entries = {id_.removeprefix("source-") for id_ in page.values("id") if id_.startswith("source-")}
    assert links and links <= entries
