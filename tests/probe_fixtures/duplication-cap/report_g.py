# the sixth copy is beyond the five listed per block
import matplotlib.pyplot as plt


def set_style():  # mlaudit-ok: code.duplicated_cells
    plt.rcParams["figure.figsize"] = (8, 5)
    plt.rcParams["font.size"] = 12
    plt.rcParams["axes.grid"] = True
    plt.rcParams["grid.alpha"] = 0.3
    plt.rcParams["axes.spines.top"] = False
    plt.rcParams["axes.spines.right"] = False
