"""The price of each device, as the file gives it: one device, in euros excluding VAT.

A step of :func:`greenit.inventory.normalise.normalise_inventory`. The file's price column
(GLPI « Valeur », Snipe-IT « Purchase Cost », « Prix unitaire (€ HT) »…) or, where a row has
none, its line total (« Montant total », « Total HT ») divided by the row's quantity, becomes
``unit_price_eur``: the price of one device excluding VAT.

Whether a price includes VAT is read from the cell (``1 049,00 € TTC``), else from the header
(« Prix unitaire (€ HT) »); where neither says, the basis the user declared (``--prices ht|ttc``)
is *assumed*, else :data:`DEFAULT_BASIS`: a town's general budget records and amortises its
assets including VAT (source ``cgct_amortissement_ttc``), so a GLPI « Valeur » is read TTC. A
TTC price is divided by 1 + the VAT rate (``vat_rate``, source ``cgi_art278_vat``). Every output
says which basis was read and which was assumed (``price_basis``).

A price that cannot be used — not a number, another currency, negative, or outside the
plausibility bounds of the row's category (``prices.csv`` ``unit_price_min``/``_max``: a laptop
at 90 000 € or at 0,9 €) — gets a ``price_reason`` naming the column and the value, and is not
used; the row's footprint is estimated all the same.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from greenit.factors import FactorSet
from greenit.factors.lookup import positions_in, take
from greenit.flags import Flags, code_of
from greenit.i18n import msg
from greenit.parsing.frames import FrameBuilder
from greenit.parsing.headers import HeaderMatch
from greenit.parsing.money import PriceColumn, parse_price_column, vat_basis

#: The basis of a price whose cell and header say neither HT nor TTC, when the user declared none.
DEFAULT_BASIS = "ttc"
#: ``price_basis`` codes: the basis said by the cell or header (``ht``, ``ttc``), declared by the
#: user for prices that say neither (``--prices``: ``*_declared``), or assumed (``*_assumed``).
BASIS_CODES = ("ht", "ttc", "ht_declared", "ttc_declared", "ht_assumed", "ttc_assumed")

#: Input columns of prices (canonical names of :data:`greenit.inventory.columns.GENERIC_ALIASES`).
PRICE_COLUMNS = ("unit_price_eur", "total_price_eur")


def add_prices(
    raw: pd.DataFrame,
    headers: dict[str, HeaderMatch],
    out: FrameBuilder,
    factors: FactorSet,
    *,
    declared_basis: str | None = None,
) -> None:
    """``unit_price_eur`` [€ excl. VAT per device], ``price_basis`` and ``price_reason`` of each row.

    ``out`` must hold ``category`` and ``quantity`` already. ``declared_basis`` (``ht``/``ttc``)
    is the basis of prices whose cell and header say neither; None assumes :data:`DEFAULT_BASIS`.
    """
    n = len(out)
    reasons = Flags(n)
    values = np.full(n, np.nan)
    bases = np.full(n, -1, dtype=np.int8)  # a position in BASIS_CODES
    taken = np.full(n, -1, dtype=np.int8)  # the position in ``headers_taken`` of each price taken
    headers_taken: list[str] = []
    for column in PRICE_COLUMNS:  # a unit price first; a line total where a row gives none
        match = headers.get(column)
        if match is None:
            continue
        parsed = parse_price_column(raw[match.header])
        todo = np.isnan(values) & ~reasons.flagged
        per_device = parsed.values / (
            out["quantity"].to_numpy(dtype=float) if column != PRICE_COLUMNS[0] else 1.0
        )
        take_it = todo & ~np.isnan(per_device)
        values = np.where(take_it, per_device, values)
        header_basis = vat_basis(match.header) or vat_basis(match.unit)
        bases = np.where(take_it, _bases(parsed, header_basis, declared_basis), bases)
        taken[take_it] = len(headers_taken)  # a message quotes the cell only where one is refused
        headers_taken.append(match.header)
        bad = todo & pd.notna(parsed.errors)
        _flag_cells(reasons, bad, parsed, raw[match.header], match.header)
    vat_rate = factors.parameter("vat_rate")[0]
    ttc = np.isin(bases, [i for i, code in enumerate(BASIS_CODES) if code.startswith("ttc")])
    values = np.where(ttc, values / (1.0 + vat_rate), values)
    values = _plausible(values, out, factors, reasons, _Cells(raw, headers_taken, taken))
    out["unit_price_eur"] = values
    codes = np.where(np.isnan(values), -1, bases).astype(np.int8)
    out["price_basis"] = pd.Categorical.from_codes(codes, categories=pd.Index(BASIS_CODES, dtype=object))
    out["price_reason"] = reasons.column()


def _bases(parsed: PriceColumn, header_basis: str | None, declared: str | None) -> np.ndarray:
    """Each cell's basis (a position in :data:`BASIS_CODES`): its own, else the header's, else
    the declared or default one (assumed).
    """
    assumed = f"{declared}_declared" if declared else f"{DEFAULT_BASIS}_assumed"
    fallback = BASIS_CODES.index(header_basis or assumed)
    said = parsed.cell_basis  # "ht", "ttc" or None, per cell
    return np.select(
        [said == "ht", said == "ttc"], [BASIS_CODES.index("ht"), BASIS_CODES.index("ttc")], fallback
    )


class _Cells:
    """The cell each row's price was read from, (header, cell as written), fetched on demand:
    a message quotes the cell only where a price is refused.
    """

    def __init__(self, raw: pd.DataFrame, headers: list[str], taken: np.ndarray) -> None:
        self._raw, self._headers, self._taken = raw, headers, taken

    def at(self, positions: np.ndarray) -> list[tuple[str, object]]:
        headers = [self._headers[self._taken[i]] for i in positions]
        return [(header, self._raw[header].iat[i]) for header, i in zip(headers, positions, strict=True)]


def price_code(reason: object) -> str | None:
    """The stable code of a row's ``price_reason``: the catalogue key of why the price is not
    used (``money.price.not_a_number``, ``money.price.negative``, ``money.price.implausible``…),
    the cell's own error rather than the sentence that names the column; None without a reason.

    >>> negative = msg("money.price.negative", value="-5")
    >>> price_code(msg("money.price.cell", column="Valeur", value="-5", error=negative))
    'money.price.negative'
    """
    from greenit.i18n import Joined

    def own(part: object) -> object:
        error = dict(getattr(part, "params", ())).get("error")
        return error if getattr(part, "key", None) == "money.price.cell" and error is not None else part

    if code_of(reason) is None:  # no reason
        return None
    parts = reason.parts if isinstance(reason, Joined) else (reason,)
    return code_of(Joined(tuple(own(part) for part in parts)))


def _flag_cells(reasons: Flags, bad: np.ndarray, parsed: PriceColumn, cells: pd.Series, header: str) -> None:
    if not bad.any():
        return
    messages = [
        msg("money.price.cell", column=header, value=_shown(cell), error=error)
        for cell, error in zip(cells.to_numpy(dtype=object)[bad], parsed.errors[bad], strict=True)
    ]
    reasons.add(bad, messages, masked=True)


def _plausible(values, out, factors: FactorSet, reasons: Flags, cells: _Cells) -> np.ndarray:
    """``values`` with the prices outside their category's bounds removed and flagged."""
    table = factors.tables.get("prices")
    if table is None or not {"unit_price_min_eur", "unit_price_max_eur"} <= set(table.columns):
        return values
    positions = positions_in(table, out["category"])
    lowest, highest = (
        take(table, positions, "unit_price_min_eur"),
        take(table, positions, "unit_price_max_eur"),
    )
    with np.errstate(invalid="ignore"):
        outside = ~np.isnan(values) & ((values < lowest) | (values > highest))
    if outside.any():
        messages = [
            msg(
                "money.price.implausible",
                column=cell[0],
                cell=_shown(cell[1]),
                value=_euros(value),
                category=_category(category, factors),
                lowest=_euros(low),
                highest=_euros(high),
            )
            for value, cell, category, low, high in zip(
                values[outside],
                cells.at(np.flatnonzero(outside)),
                out["category"].astype(object)[outside],
                lowest[outside],
                highest[outside],
                strict=True,
            )
        ]
        reasons.add(outside, messages, masked=True)
    return np.where(outside, np.nan, values)


def _category(category: str, factors: FactorSet):
    from greenit.factors.labels import row_labels

    return (
        row_labels(factors.devices.loc[[category]])[category]
        if category in factors.devices.index
        else category
    )


def _euros(value: float):
    from greenit.i18n.formats import Number

    return Number(float(value))


def _shown(cell: object) -> str:
    text = str(cell)
    return text if len(text) <= 60 else text[:60] + "…"


def checked_electricity_price(value: str | float | None, factors: FactorSet) -> float | None:
    """``--electricity-price`` as typed (``"0,21 €/kWh"``, ``"172 €/MWh HT"``) or a number
    [€/kWh excl. VAT] → € excl. VAT per kWh (a price said TTC divided by 1 + ``vat_rate``);
    None when not given. A value that is no price of electricity is a GreenitError (exit 2).
    """
    from greenit.errors import GreenitError
    from greenit.parsing.money import PriceError, parse_electricity_price

    if value is None:
        return None
    try:
        price, basis = parse_electricity_price(value)
    except PriceError as exc:
        raise GreenitError(exc.message) from None
    price = price / (1.0 + factors.parameter("vat_rate")[0]) if basis == "ttc" else price
    _check_plausible_price(price, value, factors)
    return price


def _check_plausible_price(price: float, typed: object, factors: FactorSet) -> None:
    """A GreenitError for an electricity price no contract has (plausibility.csv): « 0,21 €/MWh »
    is 0.00021 €/kWh — a thousand times too little, never used as given.
    """
    import numpy as np

    from greenit.errors import GreenitError
    from greenit.factors.plausible import bounds, outside, slip_cause

    span = bounds(factors, "electricity_price", n=1)
    if not outside(np.array([price]), span)[0]:
        return
    low, high = float(span.low[0]), float(span.high[0])
    cause = slip_cause("electricity_price", price, low, high, "\u00a0€/kWh")
    raise GreenitError.of(
        "plausibility.electricity_price", value=str(typed), price=price, low=low, high=high, cause=cause
    )


def checked_price_basis(value: str | None) -> str | None:
    """``--prices`` (``ht``, ``ttc``, ``hors taxes``, ``incl-vat``…) → ``ht`` | ``ttc``; None when
    not given; anything else is a GreenitError (exit 2).
    """
    from greenit.errors import GreenitError
    from greenit.parsing.money import declared_basis

    try:
        return declared_basis(value)
    except ValueError:
        raise GreenitError.of("money.price_basis_unknown", value=str(value)[:80]) from None
