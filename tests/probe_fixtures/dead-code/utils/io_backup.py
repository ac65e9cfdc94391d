# mlaudit-expect: code.dead_experimental
def read(path):
    with open(path) as f:
        return f.read()
