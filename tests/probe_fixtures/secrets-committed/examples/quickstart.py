"""Examples hold made-up values, but a token with a known format is still reported."""
from huggingface_hub import login

login(token="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")  # mlaudit-expect: secrets.committed
password = "Qm7vXc2LpR9sTk4W"  # mlaudit-ok: secrets.committed
