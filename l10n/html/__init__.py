"""HTML pages (one job): the only code that walks an HTML tree -- encoding sniffing, the one walker
that decides what a translation unit is, the skeleton it makes, and filling a skeleton's slots."""
