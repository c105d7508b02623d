"""--help in French follows French typography: a (non-breaking) space before the headings' colon."""

from __future__ import annotations

import os
import subprocess
import sys


def help_of(*args: str, lang: str) -> str:
    env = {**os.environ, "GREENIT_LANG": lang, "COLUMNS": "100"}
    done = subprocess.run(
        [sys.executable, "-m", "greenit", *args, "--help"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return done.stdout


def test_french_help_headings_have_a_space_before_the_colon_and_english_ones_do_not():
    french = help_of("estimate", lang="fr").splitlines()
    assert "Arguments\u00a0:" in french and "Options\u00a0:" in french
    assert "Commandes\u00a0:" in help_of(lang="fr").splitlines()
    english = help_of("estimate", lang="en").splitlines()
    assert "Arguments:" in english and "Options:" in english
