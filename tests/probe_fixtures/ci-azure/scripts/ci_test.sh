#!/bin/bash
set -e
pytest tests/unit -q
