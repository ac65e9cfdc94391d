# mlaudit-expect: code.dead_experimental
def loss(a, b):
    return abs(a - b)
