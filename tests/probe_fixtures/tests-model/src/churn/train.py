import torch

from churn.models import build_model


def fit(frame, epochs: int = 1):
    model = build_model(frame.shape[1] - 1)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    for _ in range(epochs):
        opt.zero_grad()
        loss = model(torch.tensor(frame.values[:, :-1])).mean()
        loss.backward()
        opt.step()
    return model
