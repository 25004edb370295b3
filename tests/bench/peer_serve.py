"""What the PyTorch peers of the CPU benchmarks share (tests/bench/*_reference.py).

require(): torch (and torchvision) or exit code 3, which the C++ side reads as "this python has
no torch, try the next one". serve(): the --serve loop -- a JSON "ready" line, then for each
request read from stdin one timed unit of work and its seconds on a line of their own; an
unknown request ("quit") ends it. The C++ benchmarks (tests/bench/python_peer.h) use it to take
turns with the peer run by run, so that both sides meet the same machine load.
"""
import importlib
import json
import sys
import time


def require(*names):
    try:
        return [importlib.import_module(name) for name in names]
    except ImportError as error:  # the benchmark prints a hint and goes on without the peer
        print(json.dumps({"error": str(error)}))
        sys.exit(3)


def serve(info, work):
    """info: what the ready line says besides "ready" (versions, threads); work: request name ->
    function running one unit of work."""
    print(json.dumps(dict({"ready": True}, **info)), flush=True)
    for line in sys.stdin:
        run = work.get(line.strip())
        if run is None:
            break
        start = time.perf_counter()
        run()
        print(time.perf_counter() - start, flush=True)
