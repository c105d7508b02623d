"""``python -m greenit.parsing.formats [--write]``: the table of supported formats.

Without ``--write``, prints the table docs/architecture.md holds; with it, writes that table
into docs/architecture.md (between its heading and the next paragraph) and the header-by-header
docs/formats.md.
"""

import sys
from pathlib import Path

from greenit.parsing.formats import markdown_details, markdown_table

if "--write" in sys.argv:
    docs = Path(__file__).resolve().parents[3] / "docs"
    architecture = docs / "architecture.md"
    text = architecture.read_text(encoding="utf-8")
    start = text.index("| format | holds | files | recognised by | fixtures |")
    end = text.index("\n\n", start)
    architecture.write_text(text[:start] + markdown_table() + text[end:], encoding="utf-8")
    (docs / "formats.md").write_text(markdown_details(), encoding="utf-8")
else:
    print(markdown_table())
