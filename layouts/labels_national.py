"""UI text of the national page(s), Dutch and English; merged into layouts.labels.LABELS."""

LABELS: dict[str, tuple[str, str]] = {}
