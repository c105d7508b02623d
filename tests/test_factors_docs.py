"""The methodology is generated from the factor tables, in French and English, and committed."""

import re

from conftest import FRANCE_GRID, ROOT
from greenit.factors import load_factors
from greenit.factors.docs import LANGS, main, methodology, stale_documents


def test_committed_methodology_is_what_the_tables_give():
    # if this fails: python -m greenit.factors.docs, then commit docs/methodology.*.md
    assert stale_documents(ROOT / "docs") == []


def test_check_mode_reports_a_stale_document(tmp_path, capsys):
    assert main(["--docs", str(tmp_path)]) == 0
    assert main(["--docs", str(tmp_path), "--check"]) == 0
    (tmp_path / "methodology.fr.md").write_text("# vieux texte\n", encoding="utf-8")
    assert main(["--docs", str(tmp_path), "--check"]) == 1
    assert "methodology.fr.md n'est plus à jour des tables" in capsys.readouterr().err


def test_both_languages_list_every_category_figure_and_source():
    factors = load_factors()
    for lang in LANGS:
        text = methodology(lang)
        for category in factors.devices.index:
            assert f"| `{category}` |" in text and f"* `{category}` — " in text, (lang, category)
        for source_id in factors.sources.index:
            assert f"| `{source_id}` |" in text, (lang, source_id)
        for accelerator in factors.table("accelerators").index:
            assert f"| `{accelerator}` |" in text
        assert factors.version in text


def test_french_and_english_have_the_same_content():
    fr, en = methodology("fr"), methodology("en")
    table_rows = re.compile(r"^\|", re.MULTILINE)
    assert len(table_rows.findall(fr)) == len(table_rows.findall(en))
    headings = re.compile(r"^#+ ", re.MULTILINE)
    assert len(headings.findall(fr)) == len(headings.findall(en))


def test_figures_in_the_text_come_from_the_tables():
    factors = load_factors()
    en, fr = methodology("en"), methodology("fr")
    shown = f"{FRANCE_GRID:g}"  # as the table writes it
    assert f"**{shown} kgCO2e/kWh**" in en and f"**{shown.replace('.', ',')} kgCO2e/kWh**" in fr
    server = factors.devices.loc["server"]
    assert "| `server` | Server | 1,215.355 (465 – 3,660) | 5 | 1,528.62 (350.4 – 3,325.7) |" in en
    assert server["annual_kwh"] == 1528.62
    assert "| `gcp` | 1.09 (1.09 – 1.1) |" in en


def test_ai_formula_counts_cpu_and_memory_only_when_the_log_gives_them():
    en = methodology("en")
    assert "duration × (P_cpu + memory × 0.3725 W/GB)" in en
    assert "The CPU counts only when the log gives its power, memory only when the log gives its size" in en
