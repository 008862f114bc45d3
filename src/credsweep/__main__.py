from credsweep.entry import main

raise SystemExit(main())
