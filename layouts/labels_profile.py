"""UI text of the region profile (/regio/<code>) and compare (/vergelijk) pages, Dutch and English."""

LABELS: dict[str, tuple[str, str]] = {
    "profile_breakdowns_heading": (
        "Verdelingen (naar aard, melder, uitkomst, …)",
        "Breakdowns (by nature, reporter, outcome, …)",
    ),
    # region profile
    "profile_title": ("Regioprofiel {name}", "Region profile {name}"),
    "profile_page_title": ("Regioprofiel", "Region profile"),
    "profile_intro": (
        "Alle indicatoren voor {name} ({level}, {code}) naast Nederland: de laatste gepubliceerde waarde, het aantal "
        "per 1.000 inwoners, het verschil met Nederland en de ontwikkeling ten opzichte van de periode ervoor.",
        "Every indicator for {name} ({level}, {code}) next to the Netherlands: the latest published value, the number "
        "per 1,000 inhabitants, the difference from the Netherlands and the change from the period before.",
    ),
    "profile_not_found_title": ("Regio niet gevonden", "Region not found"),
    "profile_not_found": (
        "Regio '{code}' komt niet voor in de gegevens. Kies een regio met de keuzelijst 'Kies uw regio' bovenaan, "
        "of begin bij een van de Veilig Thuis-regio's hieronder.",
        "Region '{code}' is not in the data. Choose a region with the 'Choose your region' list at the top, "
        "or start from one of the Veilig Thuis regions below.",
    ),
    "profile_back_to_overview": ("Naar het overzicht", "To the overview"),
    "profile_no_data": (
        "Voor {name} zijn (nog) geen cijfers gepubliceerd. CBS publiceert de meeste cijfers per Veilig Thuis-regio "
        "en per provincie.",
        "No figures have been published for {name} (yet). CBS publishes most figures per Veilig Thuis region "
        "and per province.",
    ),
    "profile_part_of": ("{name} hoort bij", "{name} belongs to"),
    "profile_controls": ("Instellingen van het profiel", "Profile settings"),
    "profile_period_type": ("Periodetype", "Period type"),
    "profile_period_type_halfjaar": ("halfjaar", "half year"),
    "profile_period_type_jaar": ("jaar", "year"),
    "profile_peers_label": ("Vergelijkingsregio's (hoogstens 8)", "Peer regions (at most 8)"),
    "profile_compare_link": ("Vergelijk deze regio's in detail", "Compare these regions in detail"),
    "profile_table_heading": (
        "Alle indicatoren vergeleken met Nederland",
        "Every indicator compared with the Netherlands",
    ),
    "profile_table_caption": (
        "{name} en Nederland: laatste periode per indicator",
        "{name} and the Netherlands: latest period per indicator",
    ),
    "profile_column_indicator": ("Indicator", "Indicator"),
    "profile_column_period": ("Periode", "Period"),
    "profile_column_value": ("Waarde", "Value"),
    "profile_column_rate": ("Per 1.000 inwoners", "Per 1,000 inhabitants"),
    "profile_column_nl_value": ("Nederland", "Netherlands"),
    "profile_column_nl_rate": ("Nederland per 1.000", "Netherlands per 1,000"),
    "profile_column_difference": ("Verschil met Nederland", "Difference from the Netherlands"),
    "profile_column_trend": ("Ontwikkeling", "Trend"),
    "profile_trend_up": ("gestegen", "up"),
    "profile_trend_down": ("gedaald", "down"),
    "profile_trend_flat": ("gelijk gebleven", "about the same"),
    "profile_trend_vs": ("{change} t.o.v. {period}", "{change} vs {period}"),
    "profile_trend_none": ("geen eerdere periode", "no earlier period"),
    "profile_difference_more": ("{change} meer per inwoner", "{change} more per inhabitant"),
    "profile_difference_less": ("{change} minder per inwoner", "{change} less per inhabitant"),
    "profile_difference_same": ("gelijk aan Nederland", "same as the Netherlands"),
    "profile_difference_points": ("{change} procentpunt", "{change} percentage points"),
    "profile_table_notes": (
        "* voorlopig cijfer, ** nader voorlopig. Per 1.000 inwoners: bevolking van het dichtstbijzijnde beschikbare "
        "jaar ({years}). Ontwikkeling: verandering ten opzichte van de vorige periode van hetzelfde type; "
        "binnen 2% heet 'gelijk gebleven'. Verschil met Nederland: hoeveel procent meer of minder het aantal per "
        "inwoner is dan landelijk; bij percentages het verschil in procentpunten.",
        "* provisional figure, ** revised provisional. Per 1,000 inhabitants: population of the nearest available "
        "year ({years}). Trend: change from the previous period of the same type; within 2% counts as 'about the "
        "same'. Difference from the Netherlands: how many per cent more or less per inhabitant than nationally; "
        "for percentages the difference in percentage points.",
    ),
    "profile_fallback_type": (
        "Er zijn geen {wanted}cijfers voor deze regio; de tabel toont {used}cijfers.",
        "There are no {wanted} figures for this region; the table shows {used} figures.",
    ),
    "profile_charts_heading": (
        "Ontwikkeling ten opzichte van Nederland en vergelijkbare regio's",
        "Trend compared with the Netherlands and similar regions",
    ),
    "profile_peers_method_veilig_thuis_regio": (
        "Vergelijkbare regio's: de 4 Veilig Thuis-regio's waarvan het inwonertal (gebruikt voor {year}) het dichtst "
        "bij dat van {name} ligt.",
        "Similar regions: the 4 Veilig Thuis regions whose population (as used for {year}) is closest to that of "
        "{name}.",
    ),
    "profile_peers_method_gemeente": (
        "Vergelijkbare regio's: gemeenten in dezelfde Veilig Thuis-regio; bij meer dan 8 de 8 met het inwonertal "
        "(gebruikt voor {year}) het dichtst bij dat van {name}.",
        "Similar regions: municipalities in the same Veilig Thuis region; if there are more than 8, the 8 whose "
        "population (as used for {year}) is closest to that of {name}.",
    ),
    "profile_peers_method_provincie": (
        "Vergelijkbare regio's: de andere provincies.",
        "Similar regions: the other provinces.",
    ),
    "profile_peers_method_landsdeel": (
        "Vergelijkbare regio's: de andere landsdelen.",
        "Similar regions: the other parts of the country.",
    ),
    "profile_peers_method_land": (
        "Vergelijkbare regio's: de landsdelen.",
        "Similar regions: the parts of the country.",
    ),
    "profile_peers_method_chosen": (
        "Vergelijkingsregio's: door u gekozen. Laat de keuzelijst leeg voor de standaardkeuze.",
        "Peer regions: chosen by you. Empty the list for the default choice.",
    ),
    "profile_charts_explained": (
        "Dikke blauwe lijn: {name}; zwarte stippellijn: Nederland; dunne grijze lijnen: de vergelijkingsregio's "
        "(wijs een lijn aan voor de naam). Aantallen per 1.000 inwoners, zodat regio's van verschillende grootte "
        "te vergelijken zijn. Een open rondje is een voorlopig cijfer; een onderbroken lijn betekent dat er voor die "
        "periode geen cijfer is.",
        "Thick blue line: {name}; black dashed line: the Netherlands; thin grey lines: the peer regions (hover a "
        "line for its name). Numbers per 1,000 inhabitants, so regions of different size can be compared. A hollow "
        "marker is a provisional figure; a broken line means there is no figure for that period.",
    ),
    "profile_chart_table": ("Tabel bij deze grafiek", "Table for this chart"),
    "profile_no_headline_data": (
        "Voor de hoofdindicatoren zijn geen cijfers van deze regio gepubliceerd; er is dus geen ontwikkeling te tonen.",
        "No figures of this region have been published for the headline indicators, so there is no trend to show.",
    ),
    "profile_gemeenten_heading": ("Gemeenten in {name}", "Municipalities in {name}"),
    "profile_gemeenten_caption": (
        "{indicator}, {period}, per gemeente in {name}",
        "{indicator}, {period}, per municipality in {name}",
    ),
    "profile_gemeenten_none": (
        "Er zijn geen cijfers per gemeente gepubliceerd voor deze indicator; dit zijn de gemeenten in {name} "
        "(indeling {year}):",
        "No figures per municipality have been published for this indicator; these are the municipalities in {name} "
        "({year} classification):",
    ),
    "profile_gemeenten_membership": (
        "Indeling {year}; de toewijzing van gemeenten aan Veilig Thuis-regio's is afgeleid uit de grenzen.",
        "{year} classification; the assignment of municipalities to Veilig Thuis regions is derived from boundaries.",
    ),
    "profile_column_gemeente": ("Gemeente", "Municipality"),
    "profile_provisional_key": ("open rondje: voorlopig", "hollow marker: provisional"),
    "profile_peers_legend": ("Vergelijkingsregio's", "Peer regions"),
    "profile_per_1000_inhabitants": ("per 1.000 inwoners", "per 1,000 inhabitants"),
    "profile_gap_no_data": (
        "{region}: geen gepubliceerde cijfers in deze reeks.",
        "{region}: no published figures in this series.",
    ),
    "profile_no_population": (
        "geen inwonertal om per 1.000 te rekenen",
        "no population to compute a rate per 1,000",
    ),
    "profile_gaps_heading": ("Ontbrekende cijfers", "Missing figures"),
    # compare
    "compare_title": ("Regio's vergelijken", "Compare regions"),
    "compare_intro": (
        "Zet tot 8 regio's van elk niveau naast elkaar over de tijd, voor één indicator. Kies 'per 1.000 inwoners' "
        "om regio's van verschillende grootte eerlijk te vergelijken.",
        "Put up to 8 regions of any level side by side over time, for one indicator. Choose 'per 1,000 inhabitants' "
        "to compare regions of different size fairly.",
    ),
    "compare_controls": ("Wat vergelijken", "What to compare"),
    "compare_indicator_label": ("Indicator", "Indicator"),
    "compare_regions_label": ("Regio's (hoogstens 8)", "Regions (at most 8)"),
    "compare_measure_label": ("Maat", "Measure"),
    "compare_measure_absoluut": ("absoluut", "absolute"),
    "compare_measure_per1000": ("per 1.000 inwoners", "per 1,000 inhabitants"),
    "compare_no_rate": (
        "Deze indicator heeft geen bevolkingsnoemer; hij wordt absoluut getoond.",
        "This indicator has no population denominator; it is shown as published.",
    ),
    "compare_unknown_indicator": (
        "Indicator '{value}' kennen we niet; we tonen {default}.",
        "We do not know indicator '{value}'; showing {default}.",
    ),
    "compare_too_many": (
        "Er kunnen hoogstens 8 regio's tegelijk worden vergeleken; alleen de eerste 8 worden getoond.",
        "At most 8 regions can be compared at once; only the first 8 are shown.",
    ),
    "compare_choose_region": ("Kies een of meer regio's om te vergelijken.", "Choose one or more regions to compare."),
    "compare_fallback_type": (
        "Er zijn geen {wanted}cijfers voor deze regio's; de grafiek toont {used}cijfers.",
        "There are no {wanted} figures for these regions; the chart shows {used} figures.",
    ),
    "compare_no_data": (
        "Voor deze regio's zijn voor deze indicator geen cijfers gepubliceerd.",
        "No figures have been published for this indicator for these regions.",
    ),
    "compare_table_caption": (
        "{indicator} ({measure}) per periode en regio",
        "{indicator} ({measure}) by period and region",
    ),
    "compare_table_notes": (
        "* voorlopig cijfer, ** nader voorlopig. Een ontbrekend cijfer staat er met de reden, nooit als 0.",
        "* provisional figure, ** revised provisional. A missing figure is shown with its reason, never as 0.",
    ),
    "compare_chart_heading": ("{indicator}: {measure}", "{indicator}: {measure}"),
}
