"""What period the AI figures cover, said next to them (console, report).

The ``periods`` of an ``ai estimate`` result (:meth:`greenit.results.workloads.WorkloadSummary.periods`)
become at most three sentences: the months of the reference year the counted rows cover when
they are fewer than twelve (one month of usage is never a year: the total is not annualised),
the rows kept out because they belong to another year, and the rows without a date. Without
a reference year, logs that span several years say so.
"""

from __future__ import annotations

from greenit.i18n import text
from greenit.i18n.formats import LOCALES


def period_sentences(periods: dict | None, lang: str) -> list[str]:
    """The sentences that say which period the AI figures cover (none when nothing to say)."""
    if not periods:
        return []
    sentences = []
    year = periods.get("year")
    if periods.get("partial"):
        months = [_month(m, lang) for m in periods.get("months", [])]
        sentences.append(
            text(
                "periods.sentence.partial",
                lang,
                n=len(months),
                year=str(year),
                months=", ".join(months),
            )
        )
    if periods.get("outside_year"):
        years = ", ".join(
            text("periods.sentence.in_year", lang, n=n, year=y)
            for y, n in periods.get("outside_years", {}).items()
        )
        sentences.append(
            text("periods.sentence.outside", lang, n=periods["outside_year"], year=str(year), years=years)
        )
    if periods.get("undated"):
        key = "periods.sentence.undated" if year is not None else "periods.sentence.undated_no_year"
        sentences.append(text(key, lang, n=periods["undated"], year=str(year)))
    first, last = periods.get("first"), periods.get("last")
    if year is None and first and last and first[:4] != last[:4]:
        sentences.append(text("periods.sentence.several_years", lang, first=first[:4], last=last[:4]))
    return sentences


def _month(iso: str, lang: str) -> str:
    """``2025-01`` → « janvier 2025 » / “January 2025” (Babel's stand-alone month name)."""
    import datetime as dt

    from babel.dates import format_date

    year, month = (int(part) for part in iso.split("-"))
    return format_date(dt.date(year, month, 1), format="LLLL y", locale=LOCALES.get(lang, "fr_FR"))
