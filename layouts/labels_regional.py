"""UI text of the regional page(s), Dutch and English; merged into layouts.labels.LABELS."""

LABELS: dict[str, tuple[str, str]] = {
    "regional_title": ("{indicator} per regio", "{indicator} by region"),
    "regional_intro": (
        "Alle regio's van één indeling voor één periode: op de kaart, gerangschikt en in een tabel. "
        "Regio's zonder gepubliceerd cijfer zijn grijs en staan met de reden in de tabel.",
        "All regions of one classification for one period: on the map, ranked and in a table. "
        "Regions without a published figure are grey and listed with the reason in the table.",
    ),
    "regional_unknown_indicator": (
        "De indicator '{value}' kennen we niet. Kies een indicator in het overzicht.",
        "We do not know the indicator '{value}'. Choose an indicator in the overview.",
    ),
    "regional_not_found_title": ("Indicator niet gevonden", "Indicator not found"),
    "regional_to_overview": ("Naar het overzicht van indicatoren", "To the indicator overview"),
    "regional_no_regional_data": (
        "Voor deze indicator zijn geen regionale cijfers beschikbaar. Bekijk de landelijke cijfers.",
        "There are no regional figures for this indicator. See the national figures.",
    ),
    "regional_to_national": ("Landelijke cijfers van deze indicator", "National figures for this indicator"),
    "regional_notice_level": (
        "Niveau '{value}' heeft geen cijfers voor deze indicator; we tonen {level}.",
        "Level '{value}' has no figures for this indicator; showing {level}.",
    ),
    "regional_notice_rate": (
        "Per 1.000 inwoners is voor deze indicator niet beschikbaar; we tonen aantallen.",
        "Per 1,000 inhabitants is not available for this indicator; showing counts.",
    ),
    "regional_notice_category": (
        "Categorie '{value}' kennen we niet voor deze indicator; we tonen {category}.",
        "We do not know category '{value}' for this indicator; showing {category}.",
    ),
    "regional_controls": ("Weergave kiezen", "Choose the view"),
    "regional_level_label": ("Regio-indeling", "Regional level"),
    "regional_period_label": ("Periode", "Period"),
    "regional_measure_label": ("Maat", "Measure"),
    "regional_category_label": ("Categorie", "Category"),
    "regional_measure_absolute": ("Aantal", "Count"),
    "regional_measure_value": ("Waarde", "Value"),
    "regional_measure_per1000": ("Per 1.000 inwoners", "Per 1,000 inhabitants"),
    "regional_level_plural_veilig_thuis_regio": ("Veilig Thuis-regio's", "Veilig Thuis regions"),
    "regional_level_plural_provincie": ("provincies", "provinces"),
    "regional_level_plural_gemeente": ("gemeenten", "municipalities"),
    "regional_map_title": ("Kaart", "Map"),
    "regional_bar_title": ("Ranglijst", "Ranking"),
    "regional_table_title": ("Tabel", "Table"),
    "regional_table_caption": (
        "{indicator}, {period}, per {level}",
        "{indicator}, {period}, per {level}",
    ),
    "regional_col_rank": ("Plek", "Rank"),
    "regional_col_region": ("Regio", "Region"),
    "regional_col_code": ("Code", "Code"),
    "regional_col_population": ("Inwoners", "Inhabitants"),
    "regional_sort_by": ("Sorteer op {column}", "Sort by {column}"),
    "regional_no_data": ("geen gegevens", "no data"),
    "regional_no_data_reason": ("geen gegevens: {reason}", "no data: {reason}"),
    "regional_no_population": ("geen inwonertal bekend", "no population known"),
    "regional_rank": ("{region} staat op plek {rank} van {total}", "{region} ranks {rank} of {total}"),
    "regional_rank_missing": ("{region}: geen gegevens ({reason})", "{region}: no data ({reason})"),
    "regional_rank_other_level": (
        "{region} hoort niet bij deze indeling ({level}); kies hierboven een ander niveau of een andere regio.",
        "{region} is not part of this classification ({level}); choose another level above or another region.",
    ),
    "regional_rank_hint": (
        "Kies uw regio met de regiokiezer bovenaan, of klik op de kaart of de ranglijst.",
        "Choose your region with the region picker at the top, or click the map or the ranking.",
    ),
    "regional_summary": (
        "Voor {published} van de {total} {level} is een cijfer gepubliceerd.",
        "A figure has been published for {published} of the {total} {level}.",
    ),
    "regional_summary_none": (
        "Voor deze periode is voor geen enkele regio een cijfer gepubliceerd; alle regio's zijn grijs.",
        "No figure has been published for any region in this period; every region is grey.",
    ),
    "regional_national": ("Nederland: {value}", "Netherlands: {value}"),
    "regional_national_line_absent": (
        "Nederland: {value} (totaal; als lijn alleen bij per 1.000 inwoners of een percentage)",
        "Netherlands: {value} (total; shown as a line only per 1,000 inhabitants or for a percentage)",
    ),
    "regional_population_note": (
        "Per 1.000 inwoners: berekend met het aantal inwoners op 1 januari {year} (CBS 85984NED).",
        "Per 1,000 inhabitants: computed with the number of inhabitants on 1 January {year} (CBS 85984NED).",
    ),
    "regional_population_nearest": (
        " Voor {period_year} is nog geen inwonertal opgenomen; we gebruiken het dichtstbijzijnde jaar.",
        " No population for {period_year} is included yet; we use the nearest year.",
    ),
    "regional_population_derived": (
        " Het inwonertal van {level} is afgeleid: de som van hun gemeenten, niet door CBS gepubliceerd.",
        " The population of {level} is derived: the sum of their municipalities, not published by CBS.",
    ),
    "regional_provisional_note": (
        "* voorlopig cijfer (gearceerde balk, in de tabel met *).",
        "* provisional figure (hatched bar, marked * in the table).",
    ),
    "regional_truncated": (
        "De ranglijst toont de hoogste {top} en laagste {bottom} van {total} regio's (en de gekozen regio); "
        "de tabel bevat ze allemaal.",
        "The ranking shows the highest {top} and lowest {bottom} of {total} regions (and the chosen region); "
        "the table lists them all.",
    ),
    "regional_missing_in_table": (
        "{count} regio's zonder gepubliceerd cijfer staan onderaan de tabel, met de reden.",
        "{count} regions without a published figure are at the bottom of the table, with the reason.",
    ),
    "regional_hover_rank": ("plek {rank} van {total}", "rank {rank} of {total}"),
    "regional_missing_legend": ("grijs = geen gegevens", "grey = no data"),
    "regional_map_alt": (
        "Kaart van de {level} in {period}; dezelfde cijfers staan in de tabel hieronder.",
        "Map of the {level} in {period}; the same figures are in the table below.",
    ),
    "regional_bar_alt": (
        "Ranglijst van de {level} in {period}; dezelfde cijfers staan in de tabel hieronder.",
        "Ranking of the {level} in {period}; the same figures are in the table below.",
    ),
}
