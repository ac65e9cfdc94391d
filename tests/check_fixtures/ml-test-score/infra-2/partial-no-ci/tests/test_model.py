import torch

from model import ChurnNet


def test_one_step_lowers_the_loss():
    torch.manual_seed(0)
    net = ChurnNet(4)
    x, y = torch.randn(16, 4), torch.ones(16, 1)
    opt = torch.optim.SGD(net.parameters(), lr=0.5)
    loss_fn = torch.nn.BCELoss()
    before = loss_fn(net(x), y)
    before.backward()
    opt.step()
    assert loss_fn(net(x), y) < before
