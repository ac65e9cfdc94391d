# import pandera as pa  -- tried pandera once
import deepchecks  # imported, never called  # mlaudit-ok: data.validation

print("use great_expectations to validate")
