"""The server's log names a child's page by its route, never by the child's ID or what
a typed address's query string held: uvicorn's access log wrote ``GET
/matching/children/R004?...`` as sent, and the application's refusal line the path."""

from __future__ import annotations

from sufficiency.web.access_log import NOT_A_PAGE

CHILD = "R004"
TYPED = "Jane-Doe-2012"  # what a query string typed by hand might carry


def test_access_log_has_the_route_not_the_child(site) -> None:
    start = len(site.log.lines)
    c = site.client("placement")
    assert c.get(f"/matching/children/{CHILD}", params={"name": TYPED}).status_code == 200
    assert c.get(f"/matching/childrn/{CHILD}").status_code == 404
    c = site.client("commissioner")  # refused: the application's own line
    assert c.get(f"/matching/children/{CHILD}").status_code == 403
    lines = site.log.lines[start:]
    text = "\n".join(lines)
    assert '"GET /matching/children/{child_id}?... HTTP/1.1" 200' in text
    assert '"GET /matching/children/{child_id} HTTP/1.1" 403' in text
    assert f'"GET {NOT_A_PAGE} HTTP/1.1" 404' in text
    assert "refused: commissioner (commissioner) GET /matching/children/{child_id}" in text
    leaked = [line for line in lines if CHILD in line or TYPED in line]
    assert not leaked, leaked


def test_serve_s_log_leaves_a_database_fault_s_detail_out() -> None:
    """Every handler of serve's logging has the filter that drops PostgreSQL's quote of a
    failing row (tests/store: test_a_constraint_s_detail_is_left_out_of_the_log)."""
    import logging

    from sufficiency.logs import DetailLeftOut
    from sufficiency.web.commands import log_config

    config = log_config()
    assert all("detail_left_out" in h.get("filters", []) for h in config["handlers"].values())
    assert config["filters"]["detail_left_out"]["()"] == "sufficiency.logs.DetailLeftOut"
    record = logging.LogRecord("uvicorn.error", logging.ERROR, __file__, 1,
                               'Exception\nDETAIL:  Failing row contains (1, "a reason").',
                               None, None)  # fmt: skip
    assert DetailLeftOut().filter(record)
    assert "a reason" not in record.getMessage() and "Exception" in record.getMessage()
