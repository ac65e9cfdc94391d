import torch

from model import ChurnNet
from schema import load_churn

df = load_churn("data/churn.csv")
X = torch.tensor(df[["tenure_months", "monthly_charges"]].values, dtype=torch.float32)
y = torch.tensor(df["churned"].values, dtype=torch.float32)
net = ChurnNet(n_features=2)
opt = torch.optim.Adam(net.parameters(), lr=1e-3)
for _ in range(20):
    opt.zero_grad()
    loss = torch.nn.functional.binary_cross_entropy_with_logits(net(X), y)
    loss.backward()
    opt.step()
