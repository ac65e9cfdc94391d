import features
import features_v2


def run(df, new=False):
    return (features_v2 if new else features).build(df)
