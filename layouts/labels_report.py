"""UI text of the printable region report (/regio/<code>/rapport) and its link on the profile, Dutch and English."""

LABELS: dict[str, tuple[str, str]] = {
    "report_link": ("Rapport om te printen (A4 / PDF)", "Printable report (A4 / PDF)"),
    "report_page_title": ("Regiorapport", "Region report"),
    "report_title": ("Regiorapport {name}", "Region report {name}"),
    "report_subtitle": ("{level}, regiocode {code}", "{level}, region code {code}"),
    "report_date": ("Datum rapport", "Report date"),
    "report_dataset": ("Dataset", "Dataset"),
    "report_dataset_cbs": (
        "door CBS gepubliceerde cijfers (en, waar vermeld, eigen registratie van Veilig Thuis)",
        "figures published by CBS (and, where stated, Veilig Thuis organisations' own records)",
    ),
    "report_dataset_demo": ("FICTIEVE DEMODATA", "FICTITIOUS DEMO DATA"),
    "report_demo_warning": (
        "FICTIEVE DEMODATA — alle cijfers in dit rapport zijn verzonnen om het dashboard te testen. Het zijn geen "
        "CBS-cijfers en ze zeggen niets over {name}. Gebruik ze niet.",
        "FICTITIOUS DEMO DATA — every number in this report is made up to test the dashboard. They are not CBS "
        "figures and say nothing about {name}. Do not use them.",
    ),
    "report_running_header": (
        "Regiorapport {name} ({code}) · dataversie {build_id}",
        "Region report {name} ({code}) · data version {build_id}",
    ),
    "report_actions": ("Rapport printen of opslaan", "Print or save the report"),
    "report_print": ("Printen / PDF", "Print / PDF"),
    "report_print_hint": (
        "Opgemaakt voor A4. Kies in het printvenster 'Opslaan als PDF' om een PDF te maken.",
        "Laid out for A4. Choose 'Save as PDF' in the print dialogue to make a PDF.",
    ),
    "report_back": ("Terug naar het regioprofiel", "Back to the region profile"),
    "report_trends_heading": ("Ontwikkeling ten opzichte van Nederland", "Trend compared with the Netherlands"),
    "report_trends_heading_national": ("Ontwikkeling", "Trend"),
    "report_trends_explained": (
        "Per indicator: {name} (dikke blauwe lijn) en Nederland (zwarte stippellijn). Een open rondje is een "
        "voorlopig cijfer; een onderbroken lijn betekent dat er voor die periode geen cijfer is.",
        "Per indicator: {name} (thick blue line) and the Netherlands (black dashed line). A hollow marker is a "
        "provisional figure; a broken line means there is no figure for that period.",
    ),
    "report_key_region": ("blauwe lijn: {name}", "blue line: {name}"),
    "report_key_nl": ("zwarte stippellijn: Nederland", "black dashed line: the Netherlands"),
    "report_key_provisional": ("open rondje: voorlopig", "hollow marker: provisional"),
    "report_trends_explained_national": (
        "Per indicator: {name} over de tijd (blauwe lijn). Een open rondje is een voorlopig cijfer; een onderbroken "
        "lijn betekent dat er voor die periode geen cijfer is.",
        "Per indicator: {name} over time (blue line). A hollow marker is a provisional figure; a broken line means "
        "there is no figure for that period.",
    ),
    "report_trends_single": (
        "Geen ontwikkeling te tonen (hoogstens één periode gepubliceerd voor {name}): {indicators}.",
        "No trend to show (at most one period published for {name}): {indicators}.",
    ),
    "report_trends_none": (
        "Voor {name} is bij geen enkele indicator meer dan één periode gepubliceerd; er is dus geen ontwikkeling "
        "te tonen.",
        "For {name} no indicator has more than one published period, so there is no trend to show.",
    ),
    "report_definitions_heading": ("Definities", "Definitions"),
    "report_definitions_intro": (
        "De indicatoren in dit rapport, zoals de indicatorcatalogus van dit dashboard ze beschrijft.",
        "The indicators in this report, as this dashboard's indicator catalogue describes them.",
    ),
    "report_tables_imitated": ("Tabelindeling nagebootst van", "Table layout imitated from"),
    "report_sources_heading": ("Bronnen en toelichting", "Sources and notes"),
    "report_source_cbs": (
        "Bron: CBS (CC BY 4.0), tabellen (peildatum): {tables}.",
        "Source: Statistics Netherlands (CBS, CC BY 4.0), tables (snapshot date): {tables}.",
    ),
    "report_source_own": (
        "Eigen registratie van Veilig Thuis-organisaties, geen CBS-cijfers en niet vergelijkbaar tussen regio's: "
        "{tables}.",
        "Veilig Thuis organisations' own records, not CBS figures and not comparable between regions: {tables}.",
    ),
    "report_note_provisional": (
        "* voorlopig cijfer, ** nader voorlopig cijfer: CBS kan deze cijfers later nog herzien.",
        "* provisional figure, ** revised provisional figure: CBS may still revise these figures.",
    ),
    "report_note_population": (
        "Per 1.000 inwoners: het aantal gedeeld door het aantal inwoners, maal 1.000. Gebruikt inwonertal: {years} "
        "(het dichtstbijzijnde jaar waarvoor een inwonertal beschikbaar is).",
        "Per 1,000 inhabitants: the number divided by the number of inhabitants, times 1,000. Population used: "
        "{years} (the nearest year for which a population is available).",
    ),
    "report_note_version": (
        "Dataversie {build_id} ({kind}), gebouwd op {date}, codeversie {code_version}.",
        "Data version {build_id} ({kind}), built on {date}, code version {code_version}.",
    ),
    "report_whole_dataset": (
        "Alle cijfers van deze dataversie, met de manifest en de API",
        "Every figure of this data version, with the manifest and the API",
    ),
}
