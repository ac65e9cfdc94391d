#!/bin/sh
# runs the linters; the tests (pytest) run elsewhere
ruff check .
