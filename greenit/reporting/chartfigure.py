"""The Figure greenit's charts are drawn on: Jupyter shows it as an image by itself.

greenit draws without pyplot (nothing global, nothing shown behind the caller's back), so
Jupyter's inline backend never hears of these figures and would print ``<Figure size …>``.
IPython looks for a ``_repr_png_`` method on the object a cell returns (or that ``display``
is given): this one draws the figure as PNG, as :func:`~greenit.reporting.chartstyle.save_figure`
writes it.
"""

from __future__ import annotations

import io

from matplotlib.figure import Figure


class Chart(Figure):
    r"""A matplotlib Figure that a notebook displays as a PNG image.

    >>> Chart(figsize=(1, 1))._repr_png_()[:4]
    b'\x89PNG'
    """

    def _repr_png_(self) -> bytes:
        buffer = io.BytesIO()
        self.savefig(buffer, format="png")
        return buffer.getvalue()
