import lightning as L
from torch import nn


class LitClassifier(L.LightningModule):
    def __init__(self, lr=1e-3, dropout=0.1):
        # defaults in a signature are not training calls
        super().__init__()
        self.lr = lr
        self.net = nn.Sequential(nn.Linear(10, 2), nn.Dropout(dropout))
