"""`python -m bot.rasa_server run ...`: Rasa's own `rasa run` (same arguments), started so that
it comes up sooner and answers faster. The launcher, the bench, the tests and deploy/ use it.

1. skops (which Rasa uses to load the trained intent classifier) is imported first. On import it
   looks up the module of several hundred NumPy functions by walking every loaded module; after
   Rasa has loaded TensorFlow (5,000+ modules) that took about 7 s of a cold start, before it
   about 1.4 s (measured on the 2-core development machine; docs/performance.md).
2. The measured fixes in bot/rasa_patches/speedups.py are installed.

Then Rasa's command line runs exactly as `python -m rasa` would.
"""

from __future__ import annotations

import sys


def main() -> None:
    import skops.io  # noqa: F401  (first: see above)

    from bot.rasa_patches.speedups import install

    install()
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
