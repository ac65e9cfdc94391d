from mlaudit.cli import main

main()
