from greenit.cli import main

main()
