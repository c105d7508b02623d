"""Each corrected figure, recomputed from the inputs its source publishes.

The inputs below are copied from the documents that sources.csv cites (ADEME's publicodes
model, Impact CO2, Boavizta's environmental-footprint-data PCF rows, Ecodiag, Seagate's LCA,
Google's region file); the tests recompute each table figure from them, so a reviewer can
follow every step and a table edit that breaks the arithmetic fails here.
"""

from statistics import median

import pytest

from greenit.factors import load_factors

DAYS_PER_YEAR = 365  # publicodes-commun 'jours par an'


@pytest.fixture(scope="module")
def devices():
    return load_factors().devices


def yearly_kwh(watts: float, hours_per_day: float) -> float:
    """ADEME's model: consommation en mode actif × profil d'utilisation × jours par an."""
    return watts * hours_per_day * DAYS_PER_YEAR / 1000


# acv-terminaux.publicodes (publicodes-acv-numerique v2.2.0): W, h/day
ADEME_USE_PROFILES = {
    ("smartphone", "annual_kwh"): (4.5, 3),
    ("tablet", "annual_kwh"): (20, 2.5),
    ("television", "annual_kwh"): (65, 3),
    ("internet_box", "annual_kwh"): (8, 24),
    ("monitor", "annual_kwh"): (50, 4),
    ("laptop", "annual_low_kwh"): (26.5, 3),
    ("desktop", "annual_low_kwh"): (70, 6),  # 'ordinateur fixe pro'
    ("projector", "annual_low_kwh"): (200, 0.5),
    ("external_drive", "annual_kwh"): (4, 2),
    ("usb_key", "annual_kwh"): (0.2, 2),
    ("document_scanner", "annual_kwh"): (60, 1),  # proxy 'imprimante'
}


@pytest.mark.parametrize(("category", "column"), list(ADEME_USE_PROFILES))
def test_ademe_yearly_energy_is_watts_times_hours_times_365_days(devices, category, column):
    watts, hours = ADEME_USE_PROFILES[(category, column)]
    assert devices.at[category, column] == pytest.approx(yearly_kwh(watts, hours))


def test_ademe_energy_reproduces_impact_co2s_published_use_with_ademes_own_factor():
    # Impact CO2 numerique.ts 'usage.peryear' (kgCO2e/yr) = kWh × 0.0519 (Base Empreinte 2024):
    # the 250-day / 0.0758 back-calculation greenit used before was 31.5 % too low in kWh.
    published = {"smartphone": 0.25573725, "ecran": 3.7887, "television": 3.6939825, "box": 3.637152}
    ademe_2024_factor = 0.0519
    assert yearly_kwh(4.5, 3) * ademe_2024_factor == pytest.approx(published["smartphone"])
    assert yearly_kwh(50, 4) * ademe_2024_factor == pytest.approx(published["ecran"])
    assert yearly_kwh(65, 3) * ademe_2024_factor == pytest.approx(published["television"])
    assert yearly_kwh(8, 24) * ademe_2024_factor == pytest.approx(published["box"])
    old_smartphone_kwh = 0.25573725 / 0.075774
    assert 1 - old_smartphone_kwh / yearly_kwh(4.5, 3) == pytest.approx(0.315, abs=0.001)


# boavizta-data-us.csv @61323eb: Dell OptiPlex All-in-One (gwp_total, manufacturing ratio, TEC)
DELL_ALL_IN_ONE = [
    (397.0, 0.56, 77.5), (365.0, 0.565, 46.48), (448.0, 0.57, 86.1), (461.0, 0.58, 86.0512),
    (403.0, 0.508, 64.65), (416.0, 0.499, 69.85), (481.0, 0.623, 54.35), (388.0, 0.491, 61.2),
    (422.0, 0.497, 72.1), (551.0, 0.54, 113.5), (522.0, 0.56, 103.6457), (449.0, 0.493, 76.98),
    (512.0, 0.584, 69.66), (382.0, 0.5, 58.14), (720.0, 0.62, 118.1044), (514.0, 0.461, 90.26),
    (543.0, 0.606, 59.67),
]  # fmt: skip


def test_all_in_one_comes_from_17_dell_pcfs_not_desktop_plus_monitor(devices):
    manufacture = [total * ratio for total, ratio, _ in DELL_ALL_IN_ONE]
    energy = [tec for _, _, tec in DELL_ALL_IN_ONE]
    row = devices.loc["all_in_one"]
    assert row["manufacture_kgco2e"] == pytest.approx(median(manufacture), abs=1e-3)
    assert (row["manufacture_low_kgco2e"], row["manufacture_high_kgco2e"]) == pytest.approx(
        (min(manufacture), max(manufacture)), abs=1e-3
    )
    assert row["annual_kwh"] == pytest.approx(median(energy))  # 72.1 kWh, inside Dell's 60–90
    assert (row["annual_low_kwh"], row["annual_high_kwh"]) == pytest.approx((min(energy), max(energy)))


# Dell PowerEdge and HPE ProLiant PCFs (EU use): (type, gwp_total, manufacturing ratio, TEC)
SERVERS = [
    ("Rack", 12700.0, 0.095, 2767.722), ("Rack", 6800.0, 0.183, 1325.0), ("Rack", 6510.0, 0.185, 1242.6),
    ("Blade", 5680.0, 0.277, 947.8), ("Blade", 6570.0, 0.245, 1152.4), ("Blade", 7460.0, 0.217, 1370.1),
    ("Blade", 8970.0, 0.189, 1715.6), ("Blade", 6180.0, 0.253, 1063.464), ("Blade", 7000.0, 0.237, 1215.012),
    ("Blade", 9150.0, 0.185, 1770.396), ("Rack", 5380.0, 0.212, 1011.342), ("Rack", 5260.0, 0.222, 980.7),
    ("Rack", 5510.0, 0.208, 1014.8), ("Rack", 5230.0, 0.22, 987.3), ("Rack", 8150.0, 0.143, 1760.3),
    ("Rack", 7360.0, 0.157, 1480.002), ("Rack", 8230.0, 0.15, 1636.368), ("Rack", 7260.0, 0.174, 1433.574),
    ("Rack", 7730.0, 0.166, 1760.3), ("Rack", 6840.0, 0.174, 1359.6), ("Rack", 8160.0, 0.08, 1782.2),
    ("Rack", 12700.0, 0.06, 2872.4), ("Rack", 7490.0, 0.163, 1473.5), ("Rack", 8970.0, 0.145, 1813.32),
    ("Rack", 8640.0, 0.152, 1760.3), ("Rack", 9180.0, 0.144, 1858.872), ("Rack", 8090.0, 0.152, 1628.1),
    ("Rack", 11600.0, 0.113, 2470.3), ("Rack", 8990.0, 0.09, 1949.5), ("Rack", 12600.0, 0.138, 2622.306),
    ("Rack", 15600.0, 0.098, 3325.7), ("Rack", 13300.0, 0.134, 2764.218), ("Rack", 14100.0, 0.098, 3012.126),
    ("Rack", 13200.0, 0.06, 2950.8), ("Tower", 4260.0, 0.269, 745.0), ("Tower", 4480.0, 0.258, 799.8),
    ("Tower", 4800.0, 0.239, 858.918), ("Tower", 4780.0, 0.237, 852.8), ("Tower", 8520.0, 0.142, 1697.688),
    ("Tower", 7810.0, 0.153, 1577.238), ("Tower", 8560.0, 0.146, 858.918), ("Tower", 8000.0, 0.164, 1584.7),
    ("HPE", 8370.0, 0.299, 1019.42), ("HPE", 7980.0, 0.085, 1289.92), ("HPE", 4780.0, 0.104, 745.62),
    ("HPE", 5360.0, 0.128, 2044.9), ("HPE", 15800.0, 0.037, 2644.35), ("HPE", 2500.0, 0.186, 350.4),
]  # fmt: skip


def _server_medians(kinds: set[str]) -> tuple[float, float]:
    chosen = [(t * r, tec) for kind, t, r, tec in SERVERS if kind in kinds]
    return median(m for m, _ in chosen), median(e for _, e in chosen)


def test_server_energy_is_the_pcf_median_not_850_kwh(devices):
    manufacture, energy = _server_medians({"Rack", "Blade", "Tower", "HPE"})
    assert devices.at["server", "manufacture_kgco2e"] == pytest.approx(manufacture)
    assert devices.at["server", "annual_kwh"] == pytest.approx(energy)  # 1,528.62 kWh
    assert devices.at["server", "manufacture_high_kgco2e"] == 3660  # NegaOctet, via Boavizta


def test_rack_and_tower_servers_have_their_own_pcf_medians(devices):
    assert (devices.at["rack_server", "manufacture_kgco2e"], devices.at["rack_server", "annual_kwh"]) == (
        pytest.approx(_server_medians({"Rack"}))
    )
    assert (devices.at["tower_server", "manufacture_kgco2e"], devices.at["tower_server", "annual_kwh"]) == (
        pytest.approx(_server_medians({"Tower"}))
    )
    microserver = 2500.0 * 0.186
    assert devices.at["tower_server", "manufacture_low_kgco2e"] == pytest.approx(microserver)


def test_thin_client_from_the_dell_wyse_pcfs(devices):
    manufacture = [41.30, 41.28, 40.05, 45.12, 61.07, 41.76, 42.00, 45.32, 45.58, 46.44, 45.14,
                   61.983, 104.8, 102.45, 85.305]  # fmt: skip
    tec = [19.2, 31.7, 35.7, 35.38, 96.4, 73.67, 41.0, 40.4, 43.0, 43.78, 53.79, 30.7, 48.63,
           41.84, 64.2, 15.16]  # fmt: skip
    assert devices.at["thin_client", "manufacture_kgco2e"] == pytest.approx(median(manufacture), abs=1e-3)
    assert devices.at["thin_client", "annual_kwh"] == pytest.approx(median(tec))


def test_printer_energy_is_the_median_lexmark_tec(devices):
    tec = [23.4, 24.4, 15.08, 16.12, 18.72, 28.0, 17.68, 17.68, 19.24, 22.8]
    non_use = [8230 * (1 - 0.9891), 8730 * (1 - 0.9908), 5590 * (1 - 0.9767), 5750 * (1 - 0.9774),
               6130 * (1 - 0.9788), 8770 * (1 - 0.9875), 5610 * (1 - 0.975), 5780 * (1 - 0.974),
               6150 * (1 - 0.9772), 8250 * (1 - 0.9867)]  # fmt: skip
    assert devices.at["printer", "annual_kwh"] == pytest.approx(median(tec))
    assert devices.at["printer", "annual_low_kwh"] == min(tec)
    # Ecodiag's 130 kg 'average Lexmark' agrees with the EPDs' median non-use share
    assert devices.at["printer", "manufacture_kgco2e"] == pytest.approx(median(non_use), abs=0.1)


def test_nas_energy_counts_its_disks(devices):
    seagate_hdd_tec = [34.7, 67.0, 32.5, 46.4, 72.4, 29.04]  # Exos, Makara, Thunderbug PCFs
    per_disk = median(seagate_hdd_tec)
    assert devices.at["storage", "annual_kwh"] == pytest.approx(4 * per_disk)
    assert devices.at["storage", "annual_low_kwh"] == pytest.approx(2 * min(seagate_hdd_tec))
    assert devices.at["storage", "annual_high_kwh"] == pytest.approx(8 * max(seagate_hdd_tec))


def test_san_array_scales_seagates_84_bay_lca(devices):
    non_use = 190_000 * (1 - 0.9652)  # Seagate OneStor SP2584: 6,612 kg
    assert devices.at["san_array", "manufacture_high_kgco2e"] == pytest.approx(non_use)
    assert devices.at["san_array", "manufacture_kgco2e"] == pytest.approx(non_use * 24 / 84, abs=0.01)
    assert devices.at["san_array", "annual_kwh"] == pytest.approx(14_800 * 24 / 84, abs=0.01)


def test_wifi_access_point_is_the_median_google_pcf(devices):
    pcfs = [100 * 0.16, 130 * 0.12, 100 * 0.16, 90 * 0.24]  # Nest Wifi point, Pro, router; Wifi
    assert devices.at["wifi_access_point", "manufacture_kgco2e"] == pytest.approx(median(pcfs))
    assert devices.at["wifi_access_point", "manufacture_high_kgco2e"] == pytest.approx(max(pcfs))


def test_workstation_from_dell_precision_towers(devices):
    towers = [(217.634, 55.81), (295.311, 117.93), (359.55, 202.22), (280.288, 146.78),
              (594.08, 608.92), (321.126, 86.5), (195.22, 98.89), (312.654, 139.6), (256.06, 137.51),
              (367.99, 512.9), (378.78, 347.55), (382.2, 657.7), (489.58, 597.21), (470.866, 277.08),
              (544.128, 875.34)]  # fmt: skip
    assert devices.at["workstation", "manufacture_kgco2e"] == pytest.approx(median(m for m, _ in towers))
    assert devices.at["workstation", "annual_kwh"] == pytest.approx(median(e for _, e in towers))


def test_projector_energy_is_a_room_projector_in_professional_use(devices):
    assert devices.at["projector", "annual_kwh"] == pytest.approx(0.310 * 2 * 250)  # Ecodiag room
    assert devices.at["projector", "annual_high_kwh"] == pytest.approx(0.700 * 2 * 200)  # auditorium


def test_digital_signage_high_end_is_ademes_2m2_screen(devices):
    active, standby = 0.311 * 18 * 365, 0.002 * 6 * 365
    assert devices.at["digital_signage", "annual_high_kwh"] == pytest.approx(active + standby)
    assert devices.at["digital_signage", "manufacture_high_kgco2e"] == pytest.approx(245 * 10 / 2)


def test_new_ademe_devices_take_manufacture_plus_distribution(devices):
    assert devices.at["external_drive", "manufacture_kgco2e"] == pytest.approx(11.5 + 0.113)
    assert devices.at["usb_key", "manufacture_kgco2e"] == pytest.approx(5.16 + 0.00424)
    assert devices.at["basic_phone", "manufacture_kgco2e"] == 23.3
    assert devices.at["basic_phone", "end_of_life_kgco2e"] == 0.1


def test_equivalences_are_current_impact_co2_values():
    equivalences = load_factors().table("equivalences")
    assert equivalences.at["car_km", "value_kgco2e"] == pytest.approx(
        0.1105577600556303 + 0.03169565217391306
    )
    assert equivalences.at["tgv_km", "value_kgco2e"] == pytest.approx(0.0023 + 0.00063)


def test_google_pue_2024_from_84_percent_less_overhead():
    pue = load_factors().table("pue")
    assert pue.at["gcp", "pue"] == pytest.approx(1 + (1.56 - 1) * (1 - 0.84), abs=0.001)


def test_every_device_and_accelerator_range_holds(devices):
    assert (devices["manufacture_low_kgco2e"] <= devices["manufacture_kgco2e"]).all()
    assert (devices["manufacture_kgco2e"] <= devices["manufacture_high_kgco2e"]).all()
    assert (devices["annual_low_kwh"] <= devices["annual_kwh"]).all()
    assert (devices["annual_kwh"] <= devices["annual_high_kwh"]).all()


def test_ai_tables_carry_ranges_under_their_documented_names():
    factors = load_factors()
    accelerators = factors.table("accelerators")
    assert {"manufacture_low_kgco2e", "manufacture_high_kgco2e", "power_low_w", "power_high_w"} <= set(
        accelerators.columns
    )
    assert accelerators.loc[
        "a100_sxm_80gb", ["manufacture_low_kgco2e", "manufacture_high_kgco2e"]
    ].tolist() == [
        150,
        318,
    ]
    assert accelerators.at["h100_sxm", "manufacture_kgco2e"] == 164
    assert accelerators.at["mi210", "power_w"] == 300 and accelerators.at["mi210", "vendor"] == "AMD"
    pue = factors.table("pue")
    assert {"low", "high"} <= set(pue.columns)
    assert (pue["low"] <= pue["pue"]).all() and (pue["pue"] <= pue["high"]).all()
    assert factors.parameter("server_manufacture_kgco2e") == (2500, 2500, 5700)
    assert factors.parameter("accelerator_lifetime_years") == (6, 3, 6)
