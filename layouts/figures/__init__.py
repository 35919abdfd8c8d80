"""Pure figure builders: data frames in, plotly figure dicts out (no store, no Dash callbacks)."""
