from credsweep.cli import main

raise SystemExit(main())
