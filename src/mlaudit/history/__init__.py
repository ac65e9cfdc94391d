"""Score history over git: sampled commits scanned from git objects, stored, and read back as trends."""
