from churn.model import predict


def test_predict():
    assert predict(0.9)
