import os
import json
from pathlib import Path

import torch  # mlaudit-expect: deps.pinned
from sklearn.model_selection import train_test_split  # mlaudit-expect: deps.pinned
import numpy as np  # mlaudit-ok: deps.pinned  # helpers.py comes first and shows it
from churn import features  # mlaudit-ok: deps.pinned
import helpers  # mlaudit-ok: deps.pinned
from . import local  # mlaudit-ok: deps.pinned
import torch.nn as nn  # mlaudit-ok: deps.pinned
