def scale(xs):
    top = max(xs)
    return [x / top for x in xs]
