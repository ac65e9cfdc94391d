collect_ignore = ["skipped"]
