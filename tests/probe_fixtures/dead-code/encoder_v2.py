# No encoder.py or encoder_v1.py next to it: nothing to be a copy of.
def encode(x):  # mlaudit-ok: code.dead_experimental
    return x
