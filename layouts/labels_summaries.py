"""UI text of the generated chart summaries and table alternatives, Dutch and English; merged into LABELS."""

LABELS: dict[str, tuple[str, str]] = {
    "summary_per_1000": ("per 1.000 inwoners", "per 1,000 inhabitants"),
    "summary_latest": ("{subject} in {period}: {values}.", "{subject} in {period}: {values}."),
    "summary_value": ("{name}: {value}", "{name}: {value}"),
    "summary_missing": ("{name}: geen getal, {reason}", "{name}: no figure, {reason}"),
    "summary_last_published": (
        " — laatste getal {period}: {value}",
        " — latest figure {period}: {value}",
    ),
    "summary_provisional": ("{value} ({status})", "{value} ({status})"),
    "summary_change": ("Ten opzichte van {period}: {changes}.", "Compared with {period}: {changes}."),
    "summary_points": ("{change} procentpunt", "{change} percentage points"),
    "summary_no_population": ("geen inwonertal bekend", "no population known"),
    "summary_breakdown_largest": (
        "{subject} in {period}: de grootste categorie is {category} met {value}{share}.",
        "{subject} in {period}: the largest category is {category} with {value}{share}.",
    ),
    "summary_breakdown_one": (
        "{subject} in {period}: {category} {value}{share}.",
        "{subject} in {period}: {category} {value}{share}.",
    ),
    "summary_breakdown_share": (", {share} van het totaal", ", {share} of the total"),
    "summary_breakdown_none": (
        "{subject} in {period}: geen getallen per categorie, {reason}.",
        "{subject} in {period}: no figures per category, {reason}.",
    ),
    "summary_regional_range": (
        "Hoogste: {high}; laagste: {low} (van {count} {level} met een getal).",
        "Highest: {high}; lowest: {low} (of {count} {level} with a figure).",
    ),
    "summary_regional_only": ("Alleen {region} heeft een getal.", "Only {region} has a figure."),
    "summary_map_list": (
        "De tabel hieronder geeft alle regio's met hun getal of de reden dat het ontbreekt: ",
        "The table below lists every region with its figure or the reason it is missing: ",
    ),
    "summary_map_list_link": ("naar de tabel", "go to the table"),
    "chart_table_summary": ("Tabel bij deze grafiek", "Table for this chart"),
}
