"""UI text of the download menus under charts and tables, Dutch and English."""

LABELS: dict[str, tuple[str, str]] = {
    "downloads_summary": ("Download de gegevens of de grafiek", "Download the data or the chart"),
    "downloads_summary_table": ("Download de gegevens", "Download the data"),
    "downloads_summary_image": ("Download de grafiek", "Download the chart"),
    "downloads_shown": ("Wat u ziet", "What is shown"),
    "downloads_full": ("Volledige reeks (alle perioden en regio's)", "Full series (all periods and regions)"),
    "downloads_image": ("Afbeelding", "Image"),
    "format_csv": ("CSV", "CSV"),
    "format_csv-nl": ("CSV voor Excel (NL)", "CSV for Dutch Excel"),
    "format_xlsx": ("Excel", "Excel"),
    "format_json": ("JSON", "JSON"),
    "downloads_link_label": ("{format}, {scope}", "{format}, {scope}"),
    "downloads_image_label": ("Grafiek als {format}", "Chart as {format}"),
    "downloads_note": (
        "Elk bestand vermeldt per cijfer de status (definitief, voorlopig, geheim) en de dataversie; ontbrekende "
        "cijfers blijven leeg, nooit 0.",
        "Each file gives every figure's status (final, provisional, suppressed) and the data version; missing "
        "figures stay empty, never 0.",
    ),
}
