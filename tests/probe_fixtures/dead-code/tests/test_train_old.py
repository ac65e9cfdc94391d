# Twins count anywhere, tests included.
# mlaudit-expect: code.dead_experimental
def test_train():
    assert True
