"""``python -m greenit.parsing.formats``: the table of supported formats docs/architecture.md prints."""

from greenit.parsing.formats import markdown_table

print(markdown_table())
