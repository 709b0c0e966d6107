"""English dates as a newsroom writes them: "30 November 2026", not Django's "Nov. 30, 2026"."""

DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"
