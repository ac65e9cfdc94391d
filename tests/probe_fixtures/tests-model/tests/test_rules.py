from churn.rules import evaluate, transform


def test_evaluate_rule():  # mlaudit-ok: tests.model, tests.data
    assert evaluate("positive", 3)


def test_transform_text():  # mlaudit-ok: tests.data
    assert transform("a") == "A"
