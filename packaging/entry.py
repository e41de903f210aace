"""The frozen program's entry point: the same launcher as the ``scorecard-studio`` script.

PyInstaller needs a script file to start from; the console-script entry point of the
package cannot be used directly. Keeping this file one call long guarantees that the
packaged program and the source tree take exactly the same path through the code.

``freeze_support`` comes first: spreadsheet reading runs in helper processes, which a
frozen program starts by running itself again with multiprocessing's own arguments; those
must go to multiprocessing, not to the command line parser.
"""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()
    from scorecard_studio.launcher import main

    sys.exit(main())
