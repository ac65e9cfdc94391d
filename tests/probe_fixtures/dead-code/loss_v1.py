# The lowest version with no unversioned sibling.
def loss(a, b):  # mlaudit-ok: code.dead_experimental
    return a - b
