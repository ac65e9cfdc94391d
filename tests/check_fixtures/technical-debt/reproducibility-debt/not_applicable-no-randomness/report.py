import csv
import statistics

with open("results/runs.csv") as f:
    accuracies = [float(row["accuracy"]) for row in csv.DictReader(f)]
print(f"mean accuracy {statistics.mean(accuracies):.3f} over {len(accuracies)} runs")
