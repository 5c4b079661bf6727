import sys

from newsgist.apps.cli.main import main

sys.exit(main())
