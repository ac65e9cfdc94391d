# Not named test_*.py so pytest leaves it alone; a tests/ folder still makes it a test file.
import torch


def test_optimizer_steps(net):
    # literals in tests are fixtures, not configuration debt
    opt = torch.optim.SGD(net.parameters(), lr=0.1)  # mlaudit-ok: config.hardcoded_hyperparameters
    opt.step()
