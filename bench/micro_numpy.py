"""numpy side of bench/micro.ts: the same kernels and shapes, timed the same way.

Run by bench/micro.ts with OPENBLAS_NUM_THREADS set (same thread count as mxne). Prints one JSON
object on stdout: {"numpy": version, "python": version, "ops": {name: [seconds, ...]}}.
Usage: python3 bench/micro_numpy.py [rounds] [warmup]
"""
import json
import sys
import time

import numpy as np


def timed(fn, rounds, warmup):
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    warmup = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    rng = np.random.default_rng(0)

    A = rng.standard_normal((1000, 1000))
    B = rng.standard_normal((1000, 1000))
    C = np.empty((1000, 1000))
    wide = rng.standard_normal((306, 5000))  # A^T A -> 5000x5000 (numpy's A.T @ A is dsyrk)
    G1 = np.empty((5000, 5000))
    tall = rng.standard_normal((5000, 306))  # A^T A -> 306x306
    G2 = np.empty((306, 306))
    S = rng.standard_normal((306, 8000))
    R = rng.standard_normal((500, 500))
    H = (R + R.T) / 2

    ops = {
        "gemm": lambda: np.matmul(A, B, out=C),
        "syrk_wide": lambda: np.matmul(wide.T, wide, out=G1),
        "syrk_tall": lambda: np.matmul(tall.T, tall, out=G2),
        "svd": lambda: np.linalg.svd(S, full_matrices=False),
        "eigh": lambda: np.linalg.eigh(H),
    }
    only = set(sys.argv[3].split(",")) if len(sys.argv) > 3 else None
    times = {name: timed(fn, rounds, warmup) for name, fn in ops.items() if only is None or name in only}
    json.dump({"numpy": np.__version__, "python": sys.version.split()[0], "ops": times}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
