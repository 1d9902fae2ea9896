# k8slab: two commands do all the set-up on a fresh machine with Python >= 3.10 and make.
#   make lab   - create .venv if missing, install, open JupyterLab on the course
#   make test  - create .venv if missing, install, run every test (lint, unit, scenarios, nbval)

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.k8slab-installed

.PHONY: lab test venv bench notebooks clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 10), "k8slab needs Python >= 3.10"'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

venv: $(STAMP)

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/00-welcome.ipynb

test: $(STAMP)
	$(BIN)/ruff check k8slab tests bench tools
	TQDM_DISABLE=1 PLOTLY_RENDERER=plotly_mimetype $(BIN)/python -m pytest tests
	TQDM_DISABLE=1 PLOTLY_RENDERER=plotly_mimetype $(BIN)/python -m pytest --nbval \
	    --nbval-current-env --nbval-sanitize-with tests/notebooks/sanitize.cfg \
	    --nbval-cell-timeout 120 notebooks

bench: $(STAMP)
	$(BIN)/python bench/run.py

notebooks: $(STAMP)
	$(BIN)/python tools/build_notebooks.py

clean:
	rm -rf $(VENV) build *.egg-info
