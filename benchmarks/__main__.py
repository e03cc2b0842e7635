"""Run every benchmark script in this folder, one after the other, each in its own process."""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    scripts = sorted(p for p in HERE.glob("*_*.py") if not p.name.startswith("_"))
    only = sys.argv[1:]
    failures = 0
    for script in scripts:
        if only and not any(word in script.name for word in only):
            continue
        print(f"\n### {script.name}", flush=True)
        failures += subprocess.call([sys.executable, str(script)]) != 0  # noqa: S603
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
