"""One module per export format family: how it is recognised, its columns, units, vocabularies."""
