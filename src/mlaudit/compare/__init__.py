"""Comparing scans: findings with stable fingerprints, baselines, gates."""
