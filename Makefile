# Quick start:  make        installs everything and builds every material into output/
#               make test   installs everything and runs the tests
VENV_STAMP := .venv/.printgen-installed
PYTHON ?= python3

.PHONY: all build test check clean

all: build

$(VENV_STAMP): pyproject.toml scripts/setup.sh
	PYTHON=$(PYTHON) sh scripts/setup.sh

build: $(VENV_STAMP)
	.venv/bin/printgen build

check: $(VENV_STAMP)
	.venv/bin/printgen check

test: $(VENV_STAMP)
	.venv/bin/python -m pytest

clean:
	rm -rf output
