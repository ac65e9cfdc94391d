# Both features.py and features_v2.py are imported by pipeline.py: two live modules.
def build(df):  # mlaudit-ok: code.dead_experimental
    return df.dropna()
