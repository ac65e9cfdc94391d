"""A training script with every setting typed in place."""
import lightning as L
import torch
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import KFold
from torch import optim
from torch.utils.data import DataLoader

from model import LitClassifier

N_TREES = 300


def train_torch(net, dataset, settings):
    opt = torch.optim.Adam(net.parameters(), lr=1e-3, weight_decay=0.01)  # mlaudit-expect: config.hardcoded_hyperparameters
    sgd = optim.SGD(net.parameters(), 0.01, momentum=0.9)  # mlaudit-expect: config.hardcoded_hyperparameters
    adam = torch.optim.Adam(net.parameters(), amsgrad=True)  # mlaudit-ok: config.hardcoded_hyperparameters
    loader = DataLoader(dataset, batch_size=32, shuffle=True)  # mlaudit-expect: config.hardcoded_hyperparameters
    positional = DataLoader(dataset, 64)  # mlaudit-expect: config.hardcoded_hyperparameters
    from_settings = DataLoader(dataset, batch_size=settings.batch_size)  # mlaudit-ok: config.hardcoded_hyperparameters
    return opt, sgd, adam, loader, positional, from_settings


def train_sklearn(X, y):
    forest = RandomForestClassifier(n_estimators=200, max_depth=8, random_state=0)  # mlaudit-expect: config.hardcoded_hyperparameters
    named = RandomForestClassifier(n_estimators=N_TREES)  # mlaudit-ok: config.hardcoded_hyperparameters
    folds = KFold(n_splits=5)  # mlaudit-ok: config.hardcoded_hyperparameters
    return forest.fit(X, y), named, folds


def train_keras(model, X, y):
    # mlaudit-expect: config.hardcoded_hyperparameters
    history = model.fit(
        X, y,
        epochs=10,
        batch_size=64,
    )
    return history


def train_lightning(datamodule):
    model = LitClassifier(lr=3e-4, dropout=0.2)  # mlaudit-expect: config.hardcoded_hyperparameters
    trainer = L.Trainer(max_epochs=5, deterministic=True)  # mlaudit-expect: config.hardcoded_hyperparameters
    trainer.fit(model, datamodule=datamodule)
