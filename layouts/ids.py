"""Every component id, once; pages and callbacks import them from here."""

URL = "url"
REGION_PICKER = "region-picker"
REGION_PICKER_RENDERED = "region-picker-rendered"
LANGUAGE_SWITCH = "language-switch"
INDICATOR_INDEX = "indicator-index"
KEY_FIGURES = "key-figures"
DEMO_BANNER = "demo-banner"
FOOTER_VERSION = "footer-version"

# national page (/landelijk/<indicator>)
NATIONAL_CONTEXT = "national-context"
NATIONAL_QUERY = "national-query"
NATIONAL_CONTENT = "national-content"
NATIONAL_PERIOD_TYPE = "national-period-type"
NATIONAL_VIEW = "national-view"
NATIONAL_MEASURE = "national-measure"
NATIONAL_CATEGORY = "national-category"
NATIONAL_BREAKDOWN_MEASURE = "national-breakdown-measure"
NATIONAL_BARS = "national-bars"
NATIONAL_TREND_CHART = "national-trend-chart"
NATIONAL_TREND_TABLE = "national-trend-table"
NATIONAL_BREAKDOWN_CHART = "national-breakdown-chart"
NATIONAL_BREAKDOWN_TABLE = "national-breakdown-table"

# regional page (/regionaal/<indicator>)
REGIONAL_LEVEL = "regional-level"
REGIONAL_PERIOD = "regional-period"
REGIONAL_MEASURE = "regional-measure"
REGIONAL_CATEGORY = "regional-category"
REGIONAL_MAP = "regional-map"
REGIONAL_BAR = "regional-bar"
REGIONAL_TABLE = "regional-table"
REGIONAL_RANK = "regional-rank"
REGIONAL_SUMMARY = "regional-summary"
REGIONAL_POPULATION_NOTE = "regional-population-note"
REGIONAL_MAP_SOURCE = "regional-map-source"
REGIONAL_BAR_SOURCE = "regional-bar-source"
REGIONAL_CONTEXT = "regional-context"
REGIONAL_SEARCH = "regional-search"
REGIONAL_SORT = "regional-sort"  # type of the pattern-matching sort buttons in the table header

# region profile (/regio/<code>) and compare (/vergelijk)
PROFILE_TABLE = "profile-table"
PROFILE_CONTENT = "profile-content"
PROFILE_CHARTS = "profile-charts"
PROFILE_PERIOD_TYPE = "profile-period-type"
PROFILE_PEERS = "profile-peers"
PROFILE_QUERY = "profile-query"
PROFILE_GEMEENTEN = "profile-gemeenten"
PROFILE_COMPARE_LINK = "profile-compare-link"
COMPARE_INDICATOR = "compare-indicator"
COMPARE_REGIONS = "compare-regions"
COMPARE_MEASURE = "compare-measure"
COMPARE_PERIOD_TYPE = "compare-period-type"
COMPARE_CONTENT = "compare-content"
COMPARE_CHART = "compare-chart"
COMPARE_TABLE = "compare-table"
COMPARE_QUERY = "compare-query"

# data and API page (/data)
DATA_DATASET = "data-dataset"
DATA_DOWNLOADS = "data-downloads"
DATA_ENDPOINTS = "data-endpoints"
DATA_SAMPLES = "data-samples"

# printable region report (/regio/<code>/rapport) and its link on the profile
REPORT = "report"
REPORT_LINK = "report-link"
REPORT_PRINT = "report-print"
REPORT_BACK = "report-back"
REPORT_DEMO_WARNING = "report-demo-warning"
REPORT_VERSION = "report-version"
REPORT_TRENDS = "report-trends"
REPORT_DEFINITIONS = "report-definitions"
REPORT_SOURCES = "report-sources"

# chart summaries (text alternatives the charts point to with aria-describedby)
NATIONAL_TREND_SUMMARY = "national-trend-summary"
NATIONAL_BREAKDOWN_SUMMARY = "national-breakdown-summary"
REGIONAL_CHART_SUMMARY = "regional-chart-summary"  # the map and ranking in words, describing both charts
REGIONAL_MAP_LIST = "regional-map-list"  # the sentence pointing from the map to the table with every region
COMPARE_CHART_SUMMARY = "compare-chart-summary"
