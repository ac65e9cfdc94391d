"""The cleaning steps of 01_explore.ipynb pasted into a function."""
import numpy as np
import pandas as pd


def clean(df):  # mlaudit-expect: code.duplicated_cells
    df = df.dropna(subset=['age'])
    df['age'] = df['age'].clip(0, 100)
    df['income'] = np.log1p(df['income'])
    df['city'] = df['city'].str.lower()
    df = df[df['income'] > 0]
    df = df.drop_duplicates()
    df = df.reset_index(drop=True)


def scale_a(df):  # mlaudit-ok: code.duplicated_cells
    # Two functions with the same body in one file only: not counted.
    out = df.copy()
    out['a'] = out['a'] - out['a'].mean()
    out['a'] = out['a'] / out['a'].std()
    out['b'] = out['b'] - out['b'].mean()
    out['b'] = out['b'] / out['b'].std()
    return out


def scale_b(df):  # mlaudit-ok: code.duplicated_cells
    out = df.copy()
    out['a'] = out['a'] - out['a'].mean()
    out['a'] = out['a'] / out['a'].std()
    out['b'] = out['b'] - out['b'].mean()
    out['b'] = out['b'] / out['b'].std()
    return out
