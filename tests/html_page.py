"""The report's HTML read as a tree (the standard library's ``html.parser``), for assertions.

Tests ask what a reader sees — the visible text, one table's cells, the links — rather than
matching the markup with regular expressions, which break on an attribute added or a tag split
over two lines. Entities are decoded by the parser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

#: Elements with no end tag (HTML's void elements).
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
#: What a reader does not see as text: styles, scripts, and the charts (read with ``svg_texts``).
HIDDEN = ("style", "script", "svg")
#: Elements that start a new line or box: their edges read as a space; inline ones (a, b, code,
#: span…) join the words around them as a browser shows them.
BLOCKS = {
    *"address article aside blockquote body caption dd details div dl dt figcaption figure footer".split(),
    *"h1 h2 h3 h4 h5 h6 head header hr html li main nav ol p pre section summary table tbody td".split(),
    *"tfoot th thead title tr ul br svg text g".split(),
}
#: The white space a browser collapses (not the non-breaking spaces French typesetting puts in).
SPACES = re.compile(r"[ \t\r\n\f]+")


@dataclass
class Element:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Element | str] = field(default_factory=list)

    def iter(self):
        """This element and every element below it, in document order."""
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter()

    def find_all(self, tag: str | None = None, class_: str | None = None, **attrs: str) -> list[Element]:
        """The elements below (and including) this one with ``tag``, every class of ``class_``
        (space-separated) and ``attrs``.
        """
        return [
            e
            for e in self.iter()
            if (tag is None or e.tag == tag)
            and (class_ is None or set(class_.split()) <= set(e.attrs.get("class", "").split()))
            and all(e.attrs.get(k) == v for k, v in attrs.items())
        ]

    def find(self, tag: str | None = None, class_: str | None = None, **attrs: str) -> Element:
        """The first element ``find_all`` gives; AssertionError when there is none."""
        found = self.find_all(tag, class_, **attrs)
        assert found, f"no <{tag} class={class_!r} {attrs}> in the page"
        return found[0]

    def hidden(self, skip: tuple[str, ...]) -> bool:
        """Whether ``skip`` names this element: by its tag, or as ``tag.class``."""
        return self.tag in skip or any(f"{self.tag}.{c}" in skip for c in self.attrs.get("class", "").split())

    def pieces(self, skip: tuple[str, ...] = HIDDEN):
        for child in self.children:
            if isinstance(child, str):
                yield child
            elif not child.hidden(skip):
                edge = " " if child.tag in BLOCKS else ""
                yield edge
                yield from child.pieces(skip)
                yield edge

    def text(self, skip: tuple[str, ...] = HIDDEN, *, collapse: bool = True) -> str:
        """The visible text: a space at each block's edges, the elements ``skip`` names left out
        (tags, or ``tag.class``), white space collapsed as a browser does (unless ``collapse`` is
        false).
        """
        text = "".join(self.pieces(skip))
        return SPACES.sub(" ", text).strip() if collapse else text

    def values(self, attribute: str) -> list[str]:
        """Every value of ``attribute`` on this element and below, in document order."""
        return [e.attrs[attribute] for e in self.iter() if attribute in e.attrs]

    def rows(self, part: str = "tbody") -> list[list[str]]:
        """A table's rows of ``<td>`` cells in ``part`` (its body; ``"tfoot"``: its subtotals;
        the whole table when it has no such part), as the visible text of each cell.
        """
        parts = self.find_all(part) or [self]
        return [
            [cell.text() for cell in row.find_all("td")]
            for section in parts
            for row in section.find_all("tr")
            if row.find_all("td")
        ]

    def headers(self) -> list[str]:
        return [cell.text() for cell in self.find_all("th")]


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document")
        self.open = [self.root]

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.open[-1].children.append(element)
        if tag not in VOID:
            self.open.append(element)

    def handle_startendtag(self, tag, attrs):  # <rect …/> in SVG, <br/>
        self.open[-1].children.append(Element(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag):
        for depth in range(len(self.open) - 1, 0, -1):  # close up to the matching open tag
            if self.open[depth].tag == tag:
                del self.open[depth:]
                return

    def handle_data(self, data):
        self.open[-1].children.append(data)


def parse(html: str) -> Element:
    """The document tree of ``html``."""
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def read(path: str | Path) -> Element:
    return parse(Path(path).read_text(encoding="utf-8"))


def svg_texts(svg: str | Element) -> list[str]:
    """The words of a chart: the text of each ``<text>`` element, stripped."""
    tree = parse(svg) if isinstance(svg, str) else svg
    return [text.text(skip=()) for text in tree.find_all("text")]
