"""The command starts fast: building its parser loads neither scipy.stats nor matplotlib nor pandas."""

import subprocess
import sys


def test_the_parser_loads_no_heavy_library():
    code = ("import sys; from model.cli import build_parser; build_parser(); "
            "heavy = [m for m in ('scipy.stats', 'matplotlib', 'pandas') if m in sys.modules]; "
            "print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
