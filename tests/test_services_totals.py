"""A services file's « Total » line is a total, not a service of unknown nature; an unknown
nature is told the natures greenit knows in the reader's words, not its codes.
"""

from __future__ import annotations

import json

from conftest import SAMPLE_INVENTORY, write

SERVICES = "Service;Nature;Montant annuel HT\nMessagerie;SaaS;12 000 €\nForfaits;Téléphonie mobile;8 000 €\n"


def test_a_totals_line_is_flagged_as_one(tmp_path, run_main):
    services = write(tmp_path / "services.csv", SERVICES + "Total;;20 000 €\nCafé;café;30 €\n")
    done = run_main("estimate", SAMPLE_INVENTORY, "--services", services, "--year", "2025", "--json")
    assert done.returncode == 0, done.stderr
    lines = json.loads(done.stdout)["services"]
    flagged = {f["line"]: f["reason"] for f in lines["flagged"]}
    assert flagged[4] == "ligne de total, pas un service acheté : non comptée"
    assert flagged[5].startswith("nature « café » inconnue ; natures connues : Logiciel en ligne (SaaS), ")
    assert "saas, cloud" not in flagged[5]
    assert lines["lines_estimated"] == 2
