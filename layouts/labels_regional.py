"""UI text of the regional page(s), Dutch and English; merged into layouts.labels.LABELS."""

LABELS: dict[str, tuple[str, str]] = {}
