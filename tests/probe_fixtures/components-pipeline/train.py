# A plain script with steps is not an orchestrated pipeline.
def prepare():
    pass


def train():
    prepare()


if __name__ == "__main__":
    train()
