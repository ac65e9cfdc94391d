import numpy as np  # mlaudit-expect: deps.pinned
import cPickle  # mlaudit-ok: deps.pinned
