"""Files → raw frames → typed columns: readers, headers, units, dates, countries, flags.

The lowest layer: it knows no emission factor and no formula.
"""
