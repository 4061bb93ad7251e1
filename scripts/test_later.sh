#!/usr/bin/env bash
# Run the tests as if today (in England) were DAYS days later (default 400), to find a
# test or an output that holds only until a date: the sample's history ends 31/03/2026
# and its referrals were born for that date, so a run dated today says more as the
# months pass (a history over a year old from April 2027, children turning 18).
#   bash scripts/test_later.sh [DAYS] [pytest arguments]   e.g. 500 tests/web -x
# Every Python process the tests start (the CLI, the nightly job) sees the same date:
# scripts/later/sitecustomize.py moves sufficiency.clock.today, nothing else (clocks,
# timestamps and the browser keep the real time). So a test that compares the day of a
# timestamp with today fails under it and holds in real time: on 6 December 2026, at 500
# days, tests/web/test_rerun.py's decision dates (a decision is stamped with the time).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
days=${1:-400}
[ $# -gt 0 ] && shift
case $days in '' | *[!0-9]*) echo "DAYS must be a whole number of days, not '$days'" >&2; exit 2 ;; esac
export SUFFICIENCY_LATER_DAYS=$days PYTHONPATH="$root/scripts/later${PYTHONPATH:+:$PYTHONPATH}"
cd "$root"
.venv/bin/python -c "from sufficiency import clock; print('Testing as if today were', clock.today())"
exec .venv/bin/python -m pytest -p no:warnings "$@"
