import torch
from sklearn.linear_model import LogisticRegression

from churn import predict
from churn.cli import parse_args
from churn.features import CustomerDataset
from churn.train import fit


def test_forward_shape(net):  # mlaudit-expect: tests.model
    assert net(torch.zeros(2, 3)).shape == (2, 1)


def test_one_gradient_step_changes_weights():  # mlaudit-expect: tests.model
    model = torch.nn.Linear(3, 1)
    opt = torch.optim.SGD(model.parameters(), lr=1.0)
    model(torch.ones(1, 3)).sum().backward()
    opt.step()


def test_fit_on_dataset(frame):  # mlaudit-expect: tests.model
    dataset = CustomerDataset(frame)  # handed to training: input, not a data check
    assert fit(dataset.frame, epochs=1) is not None


def test_baseline_estimator():  # mlaudit-expect: tests.model
    clf = LogisticRegression()
    clf.fit([[0], [1]], [0, 1])


def test_score_runs_model(net, frame):  # mlaudit-expect: tests.model
    # mlaudit-ok: tests.data
    assert predict.score(net, frame) is not None


def test_cli_parses_epochs():  # mlaudit-ok: tests.model, tests.data
    assert parse_args(["--epochs", "3"]).epochs == 3
