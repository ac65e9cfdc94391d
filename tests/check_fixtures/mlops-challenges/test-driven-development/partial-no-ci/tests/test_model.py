import torch

from model import ChurnNet


def test_forward_shape_and_one_step_lowers_loss():
    torch.manual_seed(0)
    net = ChurnNet(n_features=4)
    x, y = torch.randn(16, 4), torch.randint(0, 2, (16,)).float()
    loss_fn = torch.nn.BCEWithLogitsLoss()
    opt = torch.optim.SGD(net.parameters(), lr=0.1)
    before = loss_fn(net(x), y)
    before.backward()
    opt.step()
    assert net(x).shape == (16,)
    assert loss_fn(net(x), y) < before
