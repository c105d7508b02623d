"""The look shared by every chart: style, colours, bars, axes, labels that cannot mislead, files.

Matplotlib is imported on first use. Labels come from users' files, so maths parsing is off
(``$`` is a dollar sign, never the start of a formula) and long names are shortened.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np

from greenit.reporting.text import Words

#: every colour at least 3:1 against white (WCAG 2.1, 1.4.11 graphics; tests/test_council.py)
COLOURS = {
    "manufacture": "#1b6b73",
    "use": "#b07800",
    "end_of_life": "#8c8c8c",
    "consumables": "#b45309",  # toner and ink (BEGES 4.1): printers only
    "training": "#5b3f8c",
    "inference": "#3a9a5b",
    "other": "#8a8a8a",
    "increase": "#c0504d",
    "decrease": "#3a9a5b",
    "total": "#1b6b73",
    # age: keeping devices longer is the first lever, so "beyond its lifespan" is no warning
    "within": "#5e9e6e",
    "beyond": "#2f7d4a",
    "over_ten": "#4f5d75",
    "unknown": "#949494",
}
LABEL_CHARS = 42


def figure(width: float, height: float):
    """An empty figure in the house style (no pyplot: nothing global, nothing shown)."""
    import matplotlib

    matplotlib.rcParams.update(
        {
            "font.family": "DejaVu Sans",
            "font.size": 9,
            "axes.titlesize": 11,
            "axes.titleweight": "bold",
            "axes.spines.top": False,
            "axes.spines.right": False,
            "svg.fonttype": "none",
            "svg.hashsalt": "greenit",
            "text.parse_math": False,  # a '$' in a department's name is a dollar, not maths
        }
    )
    from greenit.reporting.chartfigure import Chart  # a Figure that Jupyter shows as an image

    return Chart(figsize=(width, height), dpi=110, layout="constrained")


def shorten(label: object, limit: int = LABEL_CHARS) -> str:
    """A label cut at ``limit`` characters with an ellipsis."""
    label = str(label)
    return label if len(label) <= limit else label[: limit - 1] + "…"


def number_axis(axis, words: Words, integer: bool = False) -> None:
    """Ticks written as the locale writes numbers, all with the decimals their step needs
    (0 – 2,5 – 5 – 7,5, never 2,00 beside 10,0); whole numbers only for counts.
    """
    from matplotlib.ticker import Formatter, MaxNLocator

    from greenit.i18n.formats import format_number

    class LocaleTicks(Formatter):
        def __init__(self) -> None:
            self.decimals = 0

        def format_ticks(self, values):
            steps = np.diff(np.asarray(values, dtype=float))
            step = float(np.min(np.abs(steps[steps != 0]))) if np.any(steps != 0) else 1.0
            self.decimals = next(
                (d for d in range(7) if abs(step * 10**d - round(step * 10**d)) < 1e-6 * 10**d), 6
            )
            return [self(v) for v in values]

        def __call__(self, value, pos=None):
            return format_number(0.0 if abs(value) < 1e-12 else value, words.lang, self.decimals)

    if integer:
        axis.set_major_locator(MaxNLocator(integer=True))
    axis.set_major_formatter(LocaleTicks())


def stacked_barh(ax, labels: list[str], stacks: list[tuple[str, np.ndarray, str]], height: float = 0.65):
    """Horizontal bars stacked left to right: ``stacks`` is [(colour key, values, legend)].

    Returns the bars' right ends. A stack of zeros adds no legend entry.
    """
    y = np.arange(len(labels))
    left = np.zeros(len(labels))
    for key, values, legend in stacks:
        if not np.any(values):
            continue
        ax.barh(y, values, left=left, color=COLOURS[key], label=legend, height=height)
        left = left + values
    ax.set_yticks(y, labels)
    return left


def finish(ax, title: str, xlabel: str, words: Words, right: np.ndarray, integer: bool = False) -> None:
    """Shared look: title, axis label and format, room on the right, legend, light grid."""
    ax.set_xlim(0, max(float(np.max(right)) if len(right) else 0.0, 1e-9) * 1.06)
    ax.set_xlabel(xlabel)
    number_axis(ax.xaxis, words, integer)
    ax.set_title(title, loc="left")
    ax.legend(loc="lower right", frameon=False, fontsize=8)
    ax.grid(axis="x", color="#e5e5e5", linewidth=0.6)
    ax.set_axisbelow(True)


def wrap(label: str, width: int = 18) -> str:
    """A label over several lines of about ``width`` characters (x-axis ticks)."""
    words, lines, line = [w for w in str(label).split(" ") if w], [], ""  # never at a no-break space
    for word in words:
        if line and len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\n".join(lines)


def save_figure(fig, directory: str | Path, name: str) -> dict[str, Path]:
    """Write ``name.png`` and ``name.svg`` in ``directory`` (atomically); return their paths."""
    return save_rendered(render(fig), directory, name)


def render(fig) -> dict[str, bytes]:
    """The figure drawn once per format: ``{"png": bytes, "svg": bytes}``.

    The layout is solved once, when the PNG is drawn; the SVG is drawn at the same positions
    (the figure's layout engine is set aside for it, then put back), so both show the same chart
    and the constrained-layout solver, a third of the drawing's time, runs once.
    """
    out = {"png": _savefig(fig, "png")}
    engine = fig.get_layout_engine()
    if engine is not None:
        fig.set_layout_engine("none")  # the positions the PNG's layout left
    try:
        out["svg"] = _savefig(fig, "svg", metadata={"Date": None})
    finally:
        if engine is not None:
            fig.set_layout_engine(engine)
    return out


def _savefig(fig, fmt: str, metadata: dict | None = None) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format=fmt, metadata=metadata)
    return buffer.getvalue()


def save_rendered(rendered: dict[str, bytes], directory: str | Path, name: str) -> dict[str, Path]:
    from greenit.reporting.output import write_bytes

    return {fmt: write_bytes(Path(directory) / f"{name}.{fmt}", data) for fmt, data in rendered.items()}


def inline_svg(svg: bytes) -> str:
    """An SVG file's text as an element to put in HTML (no XML prolog)."""
    text = svg.decode("utf-8")
    return text[text.index("<svg") :]


def svg_text(fig) -> str:
    """The figure as an inline SVG element (text kept as text, so it reads and prints sharp)."""
    return inline_svg(render(fig)["svg"])
