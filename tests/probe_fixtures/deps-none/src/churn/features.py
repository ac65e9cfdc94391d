import pandas as pd  # mlaudit-expect: deps.pinned
