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

# regional page (/regionaal/<indicator>)

# region profile (/regio/<code>) and compare (/vergelijk)
