"""URL state: invalid values become defaults with a notice; links keep the state."""

from layouts.state import ViewState, parse_state

REGIONS = {"NL01", "VT09", "VT18", "GM0363"}


def test_defaults_for_an_empty_query():
    state = parse_state({}, known_regions=REGIONS)
    assert state == ViewState() and state.notices == ()
    assert state.query() == ""


def test_valid_values_round_trip_through_the_query_string():
    state = parse_state(
        {
            "regio": "vt09",
            "periode": "2024JJ00",
            "niveau": "gemeente",
            "maat": "per1000",
            "regios": "VT09,GM0363",
            "lang": "en",
        },
        known_regions=REGIONS,
        periods=["2024JJ00", "2023JJ00"],
    )
    assert (state.region, state.period, state.level, state.per_1000, state.regions, state.lang) == (
        "VT09",
        "2024JJ00",
        "gemeente",
        True,
        ("VT09", "GM0363"),
        "en",
    )
    assert state.query() == "?regio=VT09&periode=2024JJ00&niveau=gemeente&maat=per1000&regios=VT09,GM0363&lang=en"
    assert state.href("/regio/VT18", region="VT18").startswith("/regio/VT18?regio=VT18&")


def test_invalid_values_fall_back_with_friendly_notices():
    state = parse_state(
        {
            "regio": "XX99",
            "periode": "1900JJ00",
            "niveau": "<script>alert(1)</script>",
            "maat": ["per1000", "nonsense"],
            "regios": ",".join(["VT09"] * 3 + ["GM0363", "NL01", "VT18", "XX01"]),
        },
        known_regions=REGIONS,
        periods=["2024JJ00"],
    )
    assert state.region is None and state.period is None and state.level == "veilig_thuis_regio"
    assert state.measure == "absoluut" and state.regions == ("VT09", "GM0363", "NL01", "VT18")
    notices = " ".join(state.notices)
    assert "XX99" in notices and "1900JJ00" in notices and "XX01" in notices
    assert "<script>" not in notices and "scriptalert(1)/script" in notices


def test_at_most_eight_regions_are_compared():
    many = {f"GM{n:04d}" for n in range(20)}
    state = parse_state({"regios": ",".join(sorted(many))}, known_regions=many)
    assert len(state.regions) == 8 and len(state.notices) == 1
