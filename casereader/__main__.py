import multiprocessing

from casereader.cli import main

if __name__ == "__main__":
    # A frozen (PyInstaller) build starts its import and demo workers through this entry point.
    multiprocessing.freeze_support()
    raise SystemExit(main())
