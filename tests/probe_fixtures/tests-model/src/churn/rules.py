"""Business rules: nothing to do with the model, whatever the function names say."""


def evaluate(rule: str, value: int) -> bool:
    return value > 0 if rule == "positive" else False


def transform(text: str) -> str:
    return text.upper()
