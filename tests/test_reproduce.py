from verifier.plots import reproduction_figures
from verifier.reproduce import CATEGORIES, _necessity, _report


def test_necessity_follows_the_closed_form_and_the_report_is_written(tmp_path):
    necessity = _necessity(quick=True, tick=lambda: None)
    for case in necessity.values():
        for row in case["widths"]:
            if row["closed_form"] is not None and isinstance(row["p_contains_global"], float):
                assert abs(row["p_contains_global"] - row["closed_form"]) < 1e-9
            elif row["closed_form"] is not None:
                low, high = row["p_contains_global"]
                assert low - 0.08 <= row["closed_form"] <= high + 0.08
    results = {
        "quick": True, "seconds": 1.0, "necessity": necessity,
        "sufficiency": {"n=2,d=1": {"n": 2, "d": 1, "chambers": 2, "n^(d-1)": 1, "2^n": 4, "signed_patterns": 4,
                                    "expected_draws_to_cover": 8.3,
                                    "widths": [{"m": 1, "p_contains_global": 0.5, "p_fully_covered": 0.0,
                                                "coupon_collector_uniform": 0.0, "exhaustive": True}]}},
        "initialization": {"instances": ["theorem2-d3"], "categories": list(CATEGORIES), "lambda": "1e-5",
                           "steps": 10, "lr": 0.1, "init": "balanced", "endpoints": 4, "inconclusive": 1,
                           "small_scale": {"runs": 4, "spurious": 2, "global": 1, "not_converged": 0},
                           "large_scale": {"runs": 0, "spurious": 0, "global": 0, "not_converged": 0},
                           "rows": [{"instance": "theorem2-d3", "width": 10, "init_scale": 1e-3, "runs": 4,
                                     **dict.fromkeys(CATEGORIES, 0), "global": 1, "spurious saddle": 2,
                                     "inconclusive": 1, "inconclusive_reasons": {"multiplier-not-provably-nonnegative": 1}}]},
    }
    figures = reproduction_figures(results, tmp_path)
    report = _report(results, figures)
    assert all((tmp_path / name).read_bytes()[:4] == b"\x89PNG" for name in figures.values())
    assert "## 2. Necessity" in report and "1 × multiplier-not-provably-nonnegative" in report
    assert "so 2 of the 4 converged endpoints are spurious" in report and "supports the claim" in report
    assert "1 of 4 endpoints (25.0%)" in report
