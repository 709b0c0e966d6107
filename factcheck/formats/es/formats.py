"""Spanish dates: Django's own ("30 de noviembre de 2026"), and a short one that names the month."""

DATE_FORMAT = r"j \d\e F \d\e Y"
SHORT_DATE_FORMAT = "j M Y"
# Thousands with a point, as the Spanish demo content and most Latin American newsrooms write them
# ("172.000"); Django's own Spanish formats use the RAE's non-breaking space.
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
