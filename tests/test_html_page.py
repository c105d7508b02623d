"""The test helper that reads report HTML as a tree (``html_page``) reads it as a browser would."""

import html_page

PAGE = """<!doctype html><html lang="fr"><head><style>p { color: red }</style></head><body>
<h1>Empreinte&nbsp;: 1&#8239;234 kgCO2e</h1><p>Source <a href="#source-ademe">ademe</a>, <b>7</b> lignes<br>
suite</p><svg><text>42</text><rect x="1"/></svg><img src="data:x">
<table class="sources wide"><thead><tr><th>Id</th><th>Titre</th></tr></thead>
<tbody><tr id="source-ademe"><td><code>ademe</code></td><td>Étude &amp; données</td></tr></tbody>
<tfoot><tr class="subtotal"><td>Total</td><td>1</td></tr></tfoot></table></body></html>"""


def test_text_is_what_a_reader_sees():
    page = html_page.parse(PAGE)
    text = page.text()
    assert text.startswith("Empreinte\u00a0: 1\u202f234 kgCO2e Source ademe, 7 lignes suite Id Titre")
    assert "color" not in text and "42" not in text  # styles and charts are not text
    assert page.text(skip=(*html_page.HIDDEN, "table.sources")).endswith("lignes suite")
    assert html_page.svg_texts(page) == ["42"]


def test_tables_links_and_attributes():
    page = html_page.parse(PAGE)
    table = page.find("table", class_="sources")
    assert table is page.find(class_="wide sources")  # every class given, in any order
    assert table.headers() == ["Id", "Titre"]
    assert table.rows() == [["ademe", "Étude & données"]]
    assert table.rows("tfoot") == [["Total", "1"]]
    assert page.values("href") == ["#source-ademe"] and page.values("src") == ["data:x"]
    assert page.find("html").attrs["lang"] == "fr" and page.find_all("script") == []
