# Two commands on a fresh machine: `make demo` and `make test`. Needs only python3 (3.11+) and make.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test schema data golden known-misses bench browser-test ocr-test legacy-tools install-check clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	@for f in samples/*.txt; do \
		echo "== $$f"; \
		$(BIN)/enforce parse "$$f" --summary > /dev/null || exit 1; \
	done
	@echo "== full record of samples/shenyang_template.txt:"
	@$(BIN)/enforce parse samples/shenyang_template.txt | head -60

test: $(STAMP)
	$(BIN)/python -m pytest

schema: $(STAMP)
	$(BIN)/enforce schema > schemas/enforcement-report.schema.json
	$(BIN)/enforce schema --review > schemas/review.schema.json

# The JSON snapshots of data/*.toml that start-up reads (see knowledge/tables.py); run after editing a table.
data: $(STAMP)
	$(BIN)/python tools/make_snapshots.py

golden: $(STAMP)
	$(BIN)/python -m pytest tests/test_golden.py --update-golden
	git --no-pager diff --stat -- samples/

# The per-field ratchet's known misses (tests/data/known_misses.tsv) rewritten from what the engine reads
# now, keeping the reasons; prints the rows added (a regression) and removed (a fix). See docs/enginetests.md.
known-misses: $(STAMP)
	$(BIN)/python tests/known_misses.py

bench: $(STAMP)
	$(BIN)/python benchmarks/bench.py $(BENCH_ARGS)

# The review page in a real headless Chromium (tests/browser, skipped by `make test`). Installs what is
# missing: Debian's chromium, and fonts-noto-cjk so Chinese text does not render as boxes (apt-get, as root);
# Playwright for Python (the `browser` extra). Never `playwright install`: the browser comes from Debian.
browser-test: $(STAMP)
	@if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi 'Noto Sans CJK'; then \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium fonts-noto-cjk; fi
	@$(BIN)/python -c 'import playwright' 2>/dev/null || $(BIN)/python -m pip install -q -e '.[test,browser]'
	ENFORCE_BROWSER=1 $(BIN)/python -m pytest tests/browser

# Scanned twins of reports read by OCR (tests/test_ocr.py, skipped by `make test`: minutes, not seconds).
# Installs what is missing: Debian's fonts-noto-cjk to draw the twins (apt-get, as root) and the ocr extra.
ocr-test: $(STAMP)
	@if ! fc-list 2>/dev/null | grep -qi 'Noto Sans CJK'; then \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y -q fonts-noto-cjk; fi
	@$(BIN)/python -c 'import rapidocr_onnxruntime, pypdfium2' 2>/dev/null || $(BIN)/python -m pip install -q -e '.[test,ocr]'
	ENFORCE_OCR=1 $(BIN)/python -m pytest tests/test_ocr.py tests/test_ocr_batch.py

# A fresh venv with a plain `pip install .` (no extras) reads every seed in every format to the same figures
# (1-2 min, so `make test` runs it only under CI=true, as .ci/run does; this target runs it anywhere).
install-check: $(STAMP)
	ENFORCE_INSTALL_TEST=1 $(BIN)/python -m pytest tests/test_install.py

# Legacy Word (.doc/.wps) is read by Debian's antiword, or catdoc (docs/inputs.md): installs what is missing
# (apt-get, as root). Not part of `make test`, which must not need root: the tests that need a program skip
# without it, except under CI=true, where .ci/run runs this target first and a missing program fails them.
legacy-tools:
	@if ! command -v antiword >/dev/null || ! command -v catdoc >/dev/null; then \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y -q antiword catdoc; fi

clean:
	rm -rf $(VENV) .pytest_cache
