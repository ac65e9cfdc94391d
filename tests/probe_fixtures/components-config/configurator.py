import sys

for arg in sys.argv[1:]:
    if arg.endswith(".py"):
        config_file = arg
        exec(open(config_file).read())  # mlaudit-expect: config.managed
