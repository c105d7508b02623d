"""The footprint model, checked against hand arithmetic and Boavizta's published result."""

import numpy as np
import pandas as pd
import pytest

from conftest import FRANCE_GRID, LAPTOP_END_OF_LIFE, LAPTOP_MANUFACTURE, write
from greenit.api import estimate_files
from greenit.inventory.model import year_overlap


def rows(tmp_path, text, **options):
    result = estimate_files([write(tmp_path / "inv.csv", text)], **options)
    return result.rows, result.result()


def test_boavizta_professional_laptop_lifetime_use_is_reproduced(tmp_path):
    # boavizta.md: laptop-pro, 181 kgCO2e, 4 years, 75 W × 0.3 × 8,760 h, 0.098 kg/kWh
    text = (
        "Type;Fabrication (kgCO2e);Durée de vie;Puissance;Heures d'utilisation\n"
        "laptop;181;4 ans;75 W;2628 h/an\n"
    )
    frame, _ = rows(tmp_path, text, year=2025, grid_factor_kg_per_kwh=0.098)
    lifetime_use = frame["use_kgco2e"].iloc[0] * 4
    assert lifetime_use == pytest.approx(77.26, rel=0.005)
    assert frame["use_kwh"].iloc[0] == pytest.approx(197.1)
    # Boavizta with duration=8760 allocates 181 / 4 = 45.25 kgCO2e of manufacture per year
    assert frame["manufacture_kgco2e"].iloc[0] == pytest.approx(45.25)


def test_amortised_laptop_uses_the_table_and_french_grid(tmp_path):
    frame, result = rows(tmp_path, "Type;Date d'achat\nPortable;01-01-2023\n", year=2024)
    assert frame["manufacture_kgco2e"].iloc[0] == pytest.approx(LAPTOP_MANUFACTURE / 5)
    assert frame["use_kwh"].iloc[0] == pytest.approx(48.0)  # Ecodiag, professional laptop
    assert frame["use_kgco2e"].iloc[0] == pytest.approx(48.0 * FRANCE_GRID)
    assert frame["end_of_life_kgco2e"].iloc[0] == pytest.approx(LAPTOP_END_OF_LIFE / 5)
    assert result["totals"]["total_kgco2e"] == pytest.approx(
        LAPTOP_MANUFACTURE / 5 + 48.0 * FRANCE_GRID + LAPTOP_END_OF_LIFE / 5, abs=1e-5
    )
    # low energy: ADEME/Arcep's own inputs, 26.5 W × 3 h/day × 365 days = 29.0175 kWh
    assert result["totals"]["total_low_kgco2e"] == pytest.approx(
        170 / 5 + 26.5 * 3 * 365 / 1000 * FRANCE_GRID + LAPTOP_END_OF_LIFE / 5, abs=1e-5
    )
    assert result["totals"]["total_high_kgco2e"] == pytest.approx(
        260 / 5 + 197.1 * FRANCE_GRID + LAPTOP_END_OF_LIFE / 5, abs=1e-5
    )


def test_flux_puts_the_whole_manufacture_in_the_purchase_year(tmp_path):
    text = "Type;Date d'achat;Quantité\nPortable;15-06-2024;2\n"
    bought_year, _ = rows(tmp_path, text, year=2024, method="flux")
    next_year, _ = rows(tmp_path, text, year=2025, method="flux")
    assert bought_year["manufacture_kgco2e"].iloc[0] == pytest.approx(2 * LAPTOP_MANUFACTURE)
    assert next_year["manufacture_kgco2e"].iloc[0] == 0.0
    assert next_year["use_kwh"].iloc[0] == pytest.approx(2 * 48.0)


def test_flux_without_purchase_date_is_flagged(tmp_path, english):
    _, result = rows(tmp_path, "Type\nPortable\n", year=2024, method="flux")
    assert result["rows_flagged"] == 1
    assert result["flagged"][0]["reason"] == "purchase date: the flux method needs it"


def test_mid_year_purchase_counts_the_part_of_the_year(tmp_path):
    frame, _ = rows(tmp_path, "Type;Date d'achat\nPortable;01-07-2024\n", year=2024)
    share = 1 - (182 / 366)  # 1 July is day 183 of leap year 2024
    assert frame["manufacture_kgco2e"].iloc[0] == pytest.approx(LAPTOP_MANUFACTURE / 5 * share)
    assert frame["use_kwh"].iloc[0] == pytest.approx(48.0 * share)


def test_devices_past_their_lifespan_carry_no_manufacture(tmp_path):
    frame, _ = rows(tmp_path, "Type;Date d'achat\nPortable;01-01-2015\n", year=2024)
    assert frame["manufacture_kgco2e"].iloc[0] == 0.0
    assert frame["use_kwh"].iloc[0] == pytest.approx(48.0)


def test_stock_and_retired_equipment_carry_manufacture_but_no_use(tmp_path):
    text = (
        "Type;Statut;Date d'achat\nPortable;En stock;01-01-2023\n"
        "Portable;Réformé;01-01-2023\nPortable;En service;01-01-2023\n"
    )
    frame, _ = rows(tmp_path, text, year=2024)
    assert frame["manufacture_kgco2e"].tolist() == pytest.approx([LAPTOP_MANUFACTURE / 5] * 3)
    assert frame["use_kwh"].tolist() == [0.0, 0.0, 48.0]


def test_refurbished_devices_use_the_documented_reduced_share(tmp_path):
    text = "Type;Reconditionné;Date d'achat\nPortable;Oui;01-01-2024\nPortable;Non;01-01-2024\n"
    frame, _ = rows(tmp_path, text, year=2024)
    assert frame["manufacture_kgco2e"].tolist() == pytest.approx(
        [LAPTOP_MANUFACTURE * 0.13 / 5, LAPTOP_MANUFACTURE / 5]
    )
    assert frame["manufacture_low_kgco2e"].iloc[0] == pytest.approx(170 * 0.01 / 5)
    assert frame["manufacture_high_kgco2e"].iloc[0] == pytest.approx(260 * 0.64 / 5)


def test_manufacturer_pcf_and_lifespan_in_the_file_override_the_table(tmp_path):
    text = "Type;Fabrication (tCO2e);Durée de vie (mois)\nServeur;1,2;84\n"
    frame, _ = rows(tmp_path, text, year=2024)
    assert frame["manufacture_kgco2e"].iloc[0] == pytest.approx(1200 / 7)


def test_grid_factor_follows_the_country_of_each_row(tmp_path, english):
    text = "Type;Pays\nServeur;France\nServeur;DEU\nServeur;Atlantide\n"
    frame, result = rows(tmp_path, text, year=2024)
    # a server: 1,528.62 kWh a year, the median TEC of 48 Dell PowerEdge / HPE ProLiant PCFs,
    # × the small server room's default PUE 1.63 (pue.csv, row onsite)
    assert frame["use_kgco2e"].iloc[0] == pytest.approx(1528.62 * 1.63 * FRANCE_GRID)
    assert frame["use_kgco2e"].iloc[1] == pytest.approx(1528.62 * 1.63 * 0.38095)
    assert result["flagged"][0]["reason"] == (
        "Pays: 'Atlantide' is not a known country (ISO 3166 alpha-3 code, e.g. FRA)"
    )


def test_purchase_after_the_reference_year_counts_zero_and_says_so(tmp_path, english):
    frame, result = rows(tmp_path, "Type;Date d'achat\nPortable;01-02-2026\n", year=2025)
    assert result["rows_estimated"] == 1
    assert frame["total_kgco2e"].iloc[0] == 0.0
    assert pd.isna(frame["reason"].iloc[0])
    assert str(frame["notes"].iloc[0]) == "purchased after 2025: counts 0 this year"


def test_every_row_is_estimated_or_flagged(tmp_path, english):
    text = (
        "Type;Quantité;Puissance;Date d'achat\nPortable;2;;01-01-2022\nÉcran;-1;;\n"
        "Serveur;beaucoup;;\nImprimante;1;5 kg;\nOrdinateur;1;;\n;1;;\nSwitch;1;;99-99-2020\n"
        "Tablette;0;;\n"
    )
    frame, result = rows(tmp_path, text, year=2024)
    assert result["rows_in"] == 8
    assert result["rows_in"] == result["rows_estimated"] + result["rows_flagged"]
    assert result["rows_estimated"] == 1
    assert [f["row"] for f in result["flagged"]] == [2, 3, 4, 5, 6, 7, 8]
    reasons = [f["reason"] for f in result["flagged"]]
    assert reasons[0] == "Quantité: negative value"
    assert reasons[1] == "Quantité: 'beaucoup' — not a number"
    assert "not a unit of the expected kind" in reasons[2]
    assert "does not say which kind of device" in reasons[3]
    assert reasons[4].startswith("category: Type is empty")
    expected = "(expected DD/MM/YYYY, YYYY-MM-DD, MM/YYYY, 'March 2021' or YYYY)"
    assert reasons[5] == f"Date d'achat: '99-99-2020' is not a date {expected}"
    assert reasons[6] == "Quantité: 0 devices"
    assert np.isnan(frame.loc[frame["estimate_status"] == "flagged", "total_kgco2e"]).all()


def test_year_overlap_of_partial_years():
    starts = np.array([2020.0, 2024.5, np.nan, 2026.0])
    assert year_overlap(starts, starts + 5, 2024).tolist() == [1.0, 0.5, 1.0, 0.0]
