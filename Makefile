# k8slab: two commands do all the set-up on a fresh machine with Python >= 3.10 and make.
#   make lab   - create .venv if missing, install, open JupyterLab on the course
#   make test  - create .venv if missing, install, run every test (lint, unit, scenarios, nbval)

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.k8slab-installed

.PHONY: lab test venv native bench notebooks clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 10), "k8slab needs Python >= 3.10"'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

venv: $(STAMP)

# The hot modules compiled with mypyc into build/native (a few minutes the first time and after
# a change to k8slab/; a hash check otherwise). Without a C compiler the lab runs pure Python.
native: $(STAMP)
	@$(BIN)/python tools/build_native.py

lab: native
	$(BIN)/jupyter lab notebooks/00-welcome.ipynb

test: native
	$(BIN)/ruff check k8slab tests bench tools
	TQDM_DISABLE=1 PLOTLY_RENDERER=plotly_mimetype $(BIN)/python -m pytest tests
	# once more on the pure-Python modules, as a machine without a C compiler runs them
	K8SLAB_PURE=1 TQDM_DISABLE=1 PLOTLY_RENDERER=plotly_mimetype $(BIN)/python -m pytest -q \
	    tests/unit tests/scenarios
	TQDM_DISABLE=1 PLOTLY_RENDERER=plotly_mimetype $(BIN)/python -m pytest --nbval \
	    --nbval-current-env --nbval-sanitize-with tests/notebooks/sanitize.cfg \
	    --nbval-cell-timeout 120 notebooks

bench: native
	$(BIN)/python bench/run.py

notebooks: native
	$(BIN)/python tools/build_notebooks.py

clean:
	rm -rf $(VENV) build *.egg-info
