from casereader.cli import main

raise SystemExit(main())
