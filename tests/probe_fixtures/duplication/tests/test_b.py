def make_frame():  # mlaudit-ok: code.duplicated_cells
    import pandas as pd
    df = pd.DataFrame({"a": [1, 2, 3]})
    df["b"] = df["a"] * 2
    df["c"] = df["a"] + df["b"]
    df = df[df["a"] > 1]
    df = df.reset_index(drop=True)
    return df
