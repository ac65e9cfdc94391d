from utils import fixed_split, make_split

a = make_split(X, y)  # mlaudit-expect: splits.unseeded
b = make_split(X, y, seed=3)  # mlaudit-ok: splits.unseeded
c = make_split(X, y, 3)  # mlaudit-ok: splits.unseeded
d = fixed_split(X, y)  # mlaudit-ok: splits.unseeded
