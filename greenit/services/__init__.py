"""Services a town buys — cloud, SaaS, hosting, telecom — and its own consumables purchases.

``read`` turns a services file (one line per service bought) into typed lines, ``natures`` says
which words name which nature, ``estimate`` gives each line its footprint from ``services.csv``
(physical factors before monetary ratios) or flags it with its reason: nothing is lost.
"""
