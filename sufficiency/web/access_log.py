"""The server's log names the page asked for by its route, never by the address as typed.

A child's page is ``/matching/children/R001``, and an address typed or pasted can carry
more than a route needs (a query string such as ``?name=...``, a mistyped path holding a
child's details). uvicorn's access log wrote the path and query as sent, so every view
of a child's page left the child's ID in the server's log, beside the client address
and time, for anyone who reads the log. :class:`RouteOnly` rewrites each access line to
the route's template (``/matching/children/{child_id}``), a query string to ``?...``,
and a path that is no page of the application to :data:`NOT_A_PAGE`. It is a filter on
the ``uvicorn.access`` logger itself, so it holds whatever handlers and format the
server's logging configuration gives (``sufficiency serve``'s, or uvicorn run by hand).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from urllib.parse import unquote

from starlette.routing import BaseRoute, Route

ACCESS_LOGGER = "uvicorn.access"
NOT_A_PAGE = "(not a page of the application)"


def template(route: object) -> str:
    """A route's path as its template, without convertors: ``/matching/children/{child_id}``."""
    path = getattr(route, "path", None)
    return re.sub(r"\{(\w+):\w+\}", r"{\1}", path) if isinstance(path, str) else NOT_A_PAGE


def route_of(path: str, routes: Iterable[BaseRoute]) -> str:
    """The template of the route ``path`` (decoded, as the router reads it) leads to."""
    for route in routes:
        if isinstance(route, Route) and route.path_regex.match(path):
            return template(route)
    return NOT_A_PAGE


class RouteOnly(logging.Filter):
    """Rewrites uvicorn's access line (client, method, path and query, HTTP version,
    status) so the path is its route's template and a query's values are dropped."""

    def __init__(self, routes: Iterable[BaseRoute]) -> None:
        super().__init__()
        self.routes = tuple(routes)

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) == 5 and isinstance(args[2], str):
            path, query_mark, _query = args[2].partition("?")
            shown = route_of(unquote(path), self.routes) + ("?..." if query_mark else "")
            record.args = (*args[:2], shown, *args[3:])
        return True


def install(routes: Iterable[BaseRoute]) -> None:
    """Put :class:`RouteOnly` on the access logger (once per process)."""
    logger = logging.getLogger(ACCESS_LOGGER)
    if not any(isinstance(f, RouteOnly) for f in logger.filters):
        logger.addFilter(RouteOnly(routes))
