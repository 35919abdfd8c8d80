"""UI text in Dutch (default) and English: the one place for words shown to visitors."""

from __future__ import annotations

LANGUAGES = ("nl", "en")

LABELS: dict[str, tuple[str, str]] = {
    "product_name": (
        "Impactmonitor huiselijk geweld en kindermishandeling",
        "Impact monitor domestic violence and child abuse",
    ),
    "skip_to_content": ("Naar de inhoud", "Skip to content"),
    "intro": (
        "Cijfers over de aanpak van huiselijk geweld en kindermishandeling in Nederland: landelijk en per regio. "
        "Elk getal komt uit een publicatie van CBS of, waar vermeld, uit de eigen registratie van een Veilig "
        "Thuis-organisatie.",
        "Figures on tackling domestic violence and child abuse in the Netherlands, nationally and per region. "
        "Every number comes from a CBS publication or, where stated, from a Veilig Thuis organisation's own records.",
    ),
    "indicator_index": ("Overzicht indicatoren", "Indicator overview"),
    "column_indicator": ("Indicator", "Indicator"),
    "column_national": ("Landelijk", "National"),
    "column_regional": ("Regionaal", "Regional"),
    "column_time_series": ("Tijdreeks", "Time series"),
    "column_unit": ("Eenheid", "Unit"),
    "column_sources": ("Bron", "Source"),
    "available": ("beschikbaar", "available"),
    "not_available": ("niet beschikbaar", "not available"),
    "unit_aantal": ("aantal", "count"),
    "unit_procent": ("procent", "per cent"),
    "demo_banner": (
        "FICTIEVE DEMODATA — deze cijfers zijn verzonnen om het dashboard te testen. Het zijn geen CBS-cijfers.",
        "FICTITIOUS DEMO DATA — these numbers are made up to test the dashboard. They are not CBS figures.",
    ),
    "data_version": ("Dataversie", "Data version"),
    "built_on": ("gebouwd op", "built on"),
    "source_line": ("Bron: CBS (CC BY 4.0)", "Source: Statistics Netherlands (CBS, CC BY 4.0)"),
    "help_line": (
        "Zorgen over huiselijk geweld of kindermishandeling? Bel Veilig Thuis: 0800-2000 (gratis, dag en nacht).",
        "Worried about domestic violence or child abuse? Call Veilig Thuis: 0800-2000 (free, day and night).",
    ),
    "no_warehouse": (
        "Er is nog geen dataset gepubliceerd. Bouw hem met: python -m etl build",
        "No dataset has been published yet. Build it with: python -m etl build",
    ),
    "own_registration": (
        "eigen registratie Veilig Thuis-organisatie, geen CBS",
        "a Veilig Thuis organisation's own records, not CBS",
    ),
    "language_switch": ("English", "Nederlands"),
}


def language(value: str | None) -> str:
    """A supported language code; anything else falls back to Dutch."""
    return value if value in LANGUAGES else "nl"


def text(key: str, lang: str) -> str:
    """The UI text for a key in a language."""
    dutch, english = LABELS[key]
    return english if lang == "en" else dutch
