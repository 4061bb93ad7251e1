"""The web application (``sufficiency serve``): one Starlette app over the run store.

Server-rendered pages from the :mod:`sufficiency.pages` templates; every route is a
:class:`~sufficiency.web.framework.Page` declaring the roles that may use it, checked on
the server before the handler runs. See ``docs/web.md``.
"""
