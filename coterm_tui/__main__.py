from coterm_tui.cli import main

raise SystemExit(main())
