"""UI text of the data and API page (/data), Dutch and English."""

LABELS: dict[str, tuple[str, str]] = {
    "data_title": ("Data en API", "Data and API"),
    "data_intro": (
        "Alle cijfers van dit dashboard zijn vrij te downloaden en op te vragen via een HTTP-API. Per cijfer staat "
        "erbij of het definitief of voorlopig is, en waarom een cijfer ontbreekt (nooit 0).",
        "Every figure of this dashboard can be downloaded freely and queried through an HTTP API. Each figure says "
        "whether it is final or provisional, and why a figure is missing (never 0).",
    ),
    "data_dataset_heading": ("De dataset", "The dataset"),
    "data_dataset_cbs": (
        "Dit zijn gepubliceerde cijfers van het CBS (CC BY 4.0) en, waar vermeld, van Veilig Thuis.",
        "These are figures published by Statistics Netherlands (CBS, CC BY 4.0) and, where stated, Veilig Thuis.",
    ),
    "data_dataset_demo": (
        "Dit is FICTIEVE demodata: de cijfers zijn verzonnen om het dashboard te testen. Gebruik ze nergens voor.",
        "This is FICTITIOUS demo data: the numbers are made up to test the dashboard. Do not use them for anything.",
    ),
    "data_build": (
        "Versie (build) {build_id}, gebouwd op {built_at}.",
        "Version (build) {build_id}, built on {built_at}.",
    ),
    "data_downloads_heading": ("Downloads", "Downloads"),
    "data_downloads_intro": (
        "De hele dataset van deze versie: elke tabel als Parquet-bestand, het manifest (bronnen met checksums en "
        "peildata) en alle tabellen als CSV (UTF-8) in één zip met een README.",
        "The whole dataset of this version: every table as a Parquet file, the manifest (sources with checksums "
        "and snapshot dates) and all tables as CSV (UTF-8) in one zip with a README.",
    ),
    "data_column_file": ("Bestand", "File"),
    "data_column_rows": ("Rijen", "Rows"),
    "data_column_format": ("Formaat", "Format"),
    "data_format_parquet": ("Parquet-tabel", "Parquet table"),
    "data_format_manifest": ("manifest (JSON)", "manifest (JSON)"),
    "data_format_zip": ("alle tabellen als CSV, met README (zip)", "every table as CSV, with README (zip)"),
    "data_downloads_caption": ("Bestanden van deze versie", "Files of this version"),
    "data_api_heading": ("API", "API"),
    "data_api_intro": (
        "Alleen lezen, JSON, CSV of Parquet, onder /api/v1/. De volledige beschrijving staat in het OpenAPI-document. "
        "De beschrijvingen hieronder komen uit dat document en zijn in het Engels.",
        "Read-only, JSON, CSV or Parquet, under /api/v1/. The full description is the OpenAPI document. The "
        "descriptions below come from that document.",
    ),
    "data_api_caption": ("Endpoints van de API", "API endpoints"),
    "data_column_endpoint": ("Pad", "Path"),
    "data_column_summary": ("Beschrijving", "Description"),
    "data_column_parameters": ("Parameters", "Parameters"),
    "data_column_example": ("Voorbeeld", "Example"),
    "data_required": ("verplicht", "required"),
    "data_none": ("geen", "none"),
    "data_samples_heading": ("Voorbeeldcode", "Sample code"),
    "data_sample_pandas": ("Python (pandas)", "Python (pandas)"),
    "data_sample_duckdb": ("DuckDB (SQL)", "DuckDB (SQL)"),
    "data_sample_r": ("R (arrow)", "R (arrow)"),
}
