"""Every component id, once; pages and callbacks import them from here."""

URL = "url"
PAGE_CONTENT = "page-content"
INDICATOR_INDEX = "indicator-index"
DEMO_BANNER = "demo-banner"
FOOTER_VERSION = "footer-version"
