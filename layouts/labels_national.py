"""UI text of the national page(s), Dutch and English; merged into layouts.labels.LABELS."""

LABELS: dict[str, tuple[str, str]] = {
    "national_page_title": ("Landelijk", "National"),
    "national_not_found_title": ("Indicator niet gevonden", "Indicator not found"),
    "national_not_found": (
        "We kennen geen indicator '{value}'. Kies een indicator in het overzicht.",
        "We do not know an indicator '{value}'. Choose one in the overview.",
    ),
    "national_to_overview": ("Naar het overzicht van indicatoren", "To the indicator overview"),
    "national_no_national_data": (
        "Voor deze indicator zijn geen landelijke cijfers gepubliceerd in deze dataset.",
        "No national figures for this indicator are published in this dataset.",
    ),
    "national_to_regional": ("Bekijk de regionale cijfers", "See the regional figures"),
    "national_no_data_at_all": (
        "Er zijn voor deze indicator ook geen regionale cijfers in deze dataset.",
        "This dataset has no regional figures for this indicator either.",
    ),
    "national_controls": ("Weergave kiezen", "Choose what to show"),
    "national_period_type": ("Periode", "Period"),
    "national_halfjaar": ("Per halfjaar", "Per half year"),
    "national_jaar": ("Per jaar", "Per year"),
    "national_no_data_suffix": ("(geen gegevens)", "(no data)"),
    "national_view": ("Weergave", "Display"),
    "national_chart": ("Grafiek", "Chart"),
    "national_table": ("Tabel", "Table"),
    "national_measure": ("Maat", "Measure"),
    "national_absolute": ("Aantal", "Number"),
    "national_per_1000": ("Per 1.000 inwoners", "Per 1,000 inhabitants"),
    "national_category": ("Categorie", "Category"),
    "national_all_categories": ("Alle categorieën (totaal in de trend)", "All categories (total in the trend)"),
    "national_breakdown_measure": ("Verdeling als", "Breakdown as"),
    "national_breakdown_count": ("Aantallen", "Numbers"),
    "national_breakdown_share": ("Aandeel van het totaal", "Share of the total"),
    "national_bars": ("Balken", "Bars"),
    "national_bars_stacked": ("Gestapeld", "Stacked"),
    "national_bars_grouped": ("Naast elkaar", "Side by side"),
    "national_bars_overlap": (
        "De categorieën van deze indeling overlappen (een totaal staat naast zijn onderdelen), dus ze worden niet "
        "gestapeld.",
        "The categories of this breakdown overlap (a subtotal next to its parts), so they are not stacked.",
    ),
    "national_trend_heading": ("Ontwikkeling in Nederland", "Trend in the Netherlands"),
    "national_trend_heading_region": ("Ontwikkeling in Nederland en {region}", "Trend in the Netherlands and {region}"),
    "national_trend_category": ("Categorie: {category}", "Category: {category}"),
    "national_netherlands": ("Nederland", "The Netherlands"),
    "national_period": ("Periode", "Period"),
    "national_trend_caption": ("{title}, {unit}, {periods}", "{title}, {unit}, {periods}"),
    "national_per_halfjaar": ("per halfjaar", "per half year"),
    "national_per_jaar": ("per jaar", "per year"),
    "national_no_values": (
        "Er is voor deze keuze geen enkel getal gepubliceerd.",
        "No number at all is published for this choice.",
    ),
    "national_no_total": (
        "Voor deze indicator is geen totaal gepubliceerd; kies een categorie of bekijk de verdeling hieronder.",
        "No total is published for this indicator; choose a category or see the breakdown below.",
    ),
    "national_region_no_data": (
        "Voor {region} is bij deze indicator en periode-indeling geen getal gepubliceerd.",
        "No number is published for {region} for this indicator and period type.",
    ),
    "national_provisional_note": (
        "Open rondjes en * : voorlopige cijfers (** nader voorlopig); ze kunnen nog veranderen.",
        "Hollow markers and * : provisional figures (** revised provisional); they may still change.",
    ),
    "national_provisional_bars_note": (
        "Gearceerde balken en * : voorlopige cijfers; ze kunnen nog veranderen.",
        "Hatched bars and * : provisional figures; they may still change.",
    ),
    "national_gap_note": (
        "Geen getal voor {name} in {periods}: {reason}. De lijn heeft daar een onderbreking, geen nul.",
        "No number for {name} in {periods}: {reason}. The line has a gap there, not a zero.",
    ),
    "national_population_borrowed": (
        "Per 1.000 inwoners voor {periods}: berekend met inwoners {year} (het dichtstbijzijnde beschikbare jaar).",
        "Per 1,000 inhabitants for {periods}: computed with inhabitants {year} (the nearest year available).",
    ),
    "national_population_year": ("inwoners {year}", "inhabitants {year}"),
    "national_population_column": ("Inwoners (jaar)", "Inhabitants (year)"),
    "national_breakdown_heading": ("Verdeling naar categorie", "Breakdown by category"),
    "national_breakdown_caption": (
        "{title} naar categorie, {measure}, {periods}",
        "{title} by category, {measure}, {periods}",
    ),
    "national_share_axis": ("aandeel van het totaal (%)", "share of the total (%)"),
    "national_share_note": (
        "Aandelen zijn alleen berekend waar zowel de categorie als het totaal gepubliceerd is; door afronding "
        "op vijftallen tellen ze niet altijd op tot 100%.",
        "Shares are only computed where both the category and the total are published; because of rounding to "
        "multiples of five they need not add up to 100%.",
    ),
    "national_unpublished_categories": (
        "Zonder gepubliceerd getal in deze periodes (weggelaten): {categories}.",
        "Without a published number in these periods (left out): {categories}.",
    ),
    "national_no_breakdown": (
        "Voor deze periode-indeling is geen verdeling naar categorie gepubliceerd.",
        "No breakdown by category is published for this period type.",
    ),
    "national_about": ("Over deze indicator", "About this indicator"),
    "national_definition": ("Definitie", "Definition"),
    "national_unit": ("Eenheid", "Unit"),
    "national_sources": ("Brontabellen", "Source tables"),
    "national_notes": ("Toelichting", "Notes"),
    "national_note_rounding": (
        "CBS rondt aantallen af op vijftallen en publiceert te kleine aantallen niet (geheim). Daardoor is een "
        "totaal niet altijd gelijk aan de som van de delen.",
        "CBS rounds counts to multiples of five and does not publish counts that are too small (confidential). "
        "A total therefore need not equal the sum of its parts.",
    ),
    "national_note_own_registration": (
        "Dit zijn cijfers uit de eigen registratie van een Veilig Thuis-organisatie, geen CBS-cijfers. Ze zijn "
        "niet vergelijkbaar tussen regio's.",
        "These figures come from a Veilig Thuis organisation's own records, not from CBS. They are not comparable "
        "between regions.",
    ),
    "national_note_missing": (
        "Een ontbrekend getal is nooit een nul: de grafiek laat een onderbreking zien en de tabel noemt de reden.",
        "A missing number is never a zero: the chart shows a gap and the table gives the reason.",
    ),
    "national_note_rates": (
        "Per 1.000 inwoners: het aantal gedeeld door het aantal inwoners van Nederland (of de regio), maal 1.000.",
        "Per 1,000 inhabitants: the number divided by the inhabitants of the Netherlands (or the region), times 1,000.",
    ),
    "national_unit_per1000_available": ("ook per 1.000 inwoners", "also per 1,000 inhabitants"),
}
