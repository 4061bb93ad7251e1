"""A pin that would part a child from their siblings, said before it is saved.

Pinning one child of a sibling group to a home asks the next matching run to place that
child there; siblings who are not proposed there (and cannot all join them) are then
matched elsewhere (``siblings = "prefer"``) or not placed while the pin holds
(``"together"``). The team learnt this only from "What changed" after the next run. The
child's page now names the siblings beside the pin form, and a pin to a home where a
sibling is not proposed is shown back for confirmation, naming them, before anything is
recorded.

The siblings come from the referrals file the run read (its SHA-256 checked against the
store's record), read as the nightly run reads it; the report names no sibling group.
"""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

from starlette.responses import Response

from sufficiency.io.atomic import sha256_file
from sufficiency.store import RunStore
from sufficiency.store.team_decisions import decisions_in_force
from sufficiency.web.framework import PLACEMENT, Ctx, Page, child_url, redirect, render
from sufficiency.web.tonight import NoRun, Tonight, tonight

#: Per run: its sibling groups, or why they cannot be known (a sentence).
_cache: dict[tuple[str, int], dict[str, list[str]] | str] = {}
_lock = threading.Lock()
MAX_KEPT = 4


def _read_groups(store: RunStore, t: Tonight) -> dict[str, list[str]] | str:
    """Each child of run ``t`` in a sibling group of two or more: the others' IDs; or,
    when the referrals the run read are no longer there as it read them, why not."""
    files = [f for f in store.get(t.run_id)["files"]
             if f["role"] == "input" and f["label"] == "referrals"]  # fmt: skip
    if not files:
        return f"matching run {t.run_id} recorded no referrals file"
    path = Path(files[0]["path"])
    read = f"the referrals file matching run {t.run_id} read ({path.name})"
    if not path.is_file():
        return (f"{read} is no longer where the run read it on this server: moved or "
                "deleted since, or the run was made on another computer")  # fmt: skip
    if sha256_file(path) != files[0]["sha256"]:
        return f"{read} has changed since the run read it"
    from sufficiency.errors import SufficiencyError
    from sufficiency.io.inputs import read_referrals_for_night

    cfg = t.summary.get("config") or {}
    la = str((cfg.get("general") or {}).get("responsible_la") or "")
    try:
        day = dt.date.fromisoformat(t.run_date)
        table = read_referrals_for_night(path, default_responsible_la=la, run_date=day).table
    except (SufficiencyError, ValueError):
        return f"{read} could not be read again"
    out: dict[str, list[str]] = {}
    if "sibling_group" not in table:
        return out  # no sibling groups given: the run knew of none either
    ids = set(t.child_ids())
    rows = table[["child_id", "sibling_group"]].dropna()
    for _, group in rows.groupby("sibling_group"):
        kids = [str(c) for c in group["child_id"] if str(c) in ids]
        for c in kids:
            if len(kids) > 1:
                out[c] = [k for k in kids if k != c]
    return out


def _groups(store: RunStore, t: Tonight) -> dict[str, list[str]] | str:
    key = (store.url, t.run_id)
    with _lock:
        if key in _cache:
            return _cache[key]
    out = _read_groups(store, t)
    with _lock:
        while len(_cache) >= MAX_KEPT:
            _cache.pop(next(iter(_cache)))
        _cache[key] = out
    return out


def siblings(store: RunStore, t: Tonight, child_id: str) -> list[str] | None:
    """The child's siblings in run ``t`` (``[]``: none), ``None`` when not known."""
    groups = _groups(store, t)
    return None if isinstance(groups, str) else groups.get(child_id, [])


def unchecked(store: RunStore, t: Tonight) -> str:
    """Why a pin on run ``t`` cannot be checked against sibling groups ("" when it can),
    said beside the pin form: before, nothing was said and the pin was offered unchecked."""
    groups = _groups(store, t)
    if not isinstance(groups, str):
        return ""
    return (f"{groups}, so a pin here is not checked against the child's sibling group. "
            "Check the sibling group in the case system before pinning.")  # fmt: skip


def _pins(store: RunStore, t: Tonight) -> dict[str, str]:
    """The home each child of run ``t`` is pinned to by a decision in force."""
    pins = [d for d in decisions_in_force(store) if d.decision == "pin"]
    return {c: d.placement_id for d in pins if (c := t.taken_as(d.child_id)) is not None}


def _home(t: Tonight, pins: dict[str, str], child_id: str) -> str | None:
    """Where the next run is asked to place ``child_id``: a pin in force, else tonight's
    proposal (``None``: not placed)."""
    if child_id in pins:
        return pins[child_id]
    homes = t.children.loc[t.children["Child"] == child_id, "Home"]
    return str(homes.iloc[0]) if len(homes) else None


def _where(t: Tonight, pins: dict[str, str], child_id: str) -> str:
    if child_id in pins:
        return f"{child_id} (pinned to {pins[child_id]})"
    home = _home(t, pins, child_id)
    return f"{child_id} (proposed at {home})" if home else f"{child_id} (not placed)"


def _listed(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _together(t: Tonight) -> bool:
    cfg = (t.summary.get("config") or {}).get("matching") or {}
    return str(cfg.get("siblings", "prefer")) == "together"


def form_note(store: RunStore, t: Tonight, child_id: str) -> tuple[str, str]:
    """The note beside the pin form, as (its label, its sentence): the child's siblings,
    or why they could not be checked (("", "") for none)."""
    if why := unchecked(store, t):
        return "Siblings could not be checked:", why
    sibs = siblings(store, t, child_id)
    if not sibs:
        return "", ""
    pins = _pins(store, t)
    who = _listed([_where(t, pins, s) for s in sibs])
    return "Siblings:", (
        f"{child_id} is in a sibling group with {who}. Pinning {child_id} alone to a home "
        "where a sibling is not proposed or pinned can split the group: you will be asked "
        "to confirm before it is recorded."
    )


def split_warning(store: RunStore, t: Tonight, child_id: str, home: str) -> str:
    """The warning for pinning ``child_id`` to ``home``: the siblings not proposed there,
    named, and what the next run does; "" when every sibling is proposed or pinned there
    (or the child has none, or they cannot be known)."""
    pins = _pins(store, t)
    apart = [s for s in siblings(store, t, child_id) or [] if _home(t, pins, s) != home]
    if not apart:
        return ""
    who = _listed([_where(t, pins, s) for s in apart])
    them = "them" if len(apart) > 1 else "that sibling"
    if _together(t):  # siblings = "together": a sibling who cannot join is not placed
        then = (
            f"unless {_listed(apart)} can go to {home} too, the next matching run does "
            f"not place {them} while the pin holds (siblings must stay together)"
        )
    else:
        then = (
            f"unless {_listed(apart)} can go to {home} too, the next matching run places "
            f"{them} elsewhere and the sibling group is split"
        )
    return (
        f"Pinning {child_id} to {home} may split {child_id} from their "
        f"sibling{'s' if len(apart) > 1 else ''} {who}: {then}. To keep them together, "
        f"pin the siblings to {home} as well, or choose another home."
    )


#: The pin form's fields carried to the confirmation (the CSRF token is the page's own).
FIELDS = ("decision", "placement_id", "reason", "until", "run_id", "seen")


#: The session's key for a pin waiting to be confirmed (sealed, as the flash message is).
PENDING = "pin_pending"


def confirm_split(ctx: Ctx, t: Tonight, child_id: str) -> Response | None:
    """For a pin that may split a sibling group, before anything is recorded: the form is
    kept in the session and the browser sent to the confirmation page (a GET, so Back and
    Reload ask nothing and send nothing again); ``None`` when there is nothing to warn of
    or the person confirmed."""
    f = ctx.form
    if f.get("decision") != "pin" or f.get("split_ok") == "yes":
        ctx.request.session.pop(PENDING, None)
        return None
    home = f.get("placement_id", "")
    if _pins(ctx.store, t).get(child_id, home) != home:
        return None  # pinned elsewhere already: refused, saying so, as before
    if not split_warning(ctx.store, t, child_id, home):
        return None
    ctx.request.session[PENDING] = {"child": child_id, **{k: f.get(k, "") for k in FIELDS}}
    return redirect(child_url(child_id) + "/confirm-pin")


def confirm_page(ctx: Ctx) -> Response:
    """The confirmation of a pin kept by :func:`confirm_split` (GET). With none kept for
    this child (confirmed, cancelled or never asked: Back after "Pin anyway"), the
    child's page."""
    child_id = ctx.path_param("child_id")
    kept = ctx.request.session.get(PENDING)
    if not isinstance(kept, dict) or kept.get("child") != child_id:
        return redirect(child_url(child_id))
    try:
        t = tonight(ctx.store)
    except NoRun:
        return redirect(child_url(child_id))
    home = str(kept.get("placement_id", ""))
    warning = split_warning(ctx.store, t, child_id, home)
    if child_id not in t.child_ids() or not warning:
        ctx.request.session.pop(PENDING, None)
        ctx.flash(f"The pin of {child_id} to {home} was not recorded: the siblings' homes "
                  "changed since it was asked for. Check the page and send it again.")  # fmt: skip
        return redirect(child_url(child_id))
    fields = [(k, str(kept.get(k, ""))) for k in FIELDS]
    return render(ctx, "pin_confirm.html", child_id=child_id, home=home, warning=warning,
                  fields=fields, reason=" ".join(str(kept.get("reason", "")).split()))  # fmt: skip


#: Before the child's page's route, whose ``{child_id:path}`` would take this address.
ROUTES = [Page("/matching/children/{child_id:path}/confirm-pin", confirm_page, roles=PLACEMENT)]
