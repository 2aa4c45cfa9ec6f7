"""The command line keeps NumPy's BLAS to one thread: the engine's matrices are tiny, and a
thread pool per process only burns start-up CPU and oversubscribes `--jobs` workers."""

import os
import subprocess
import sys

PROBE = "import sys, os, quizgen.cli; print('numpy' in sys.modules, os.environ.get('OPENBLAS_NUM_THREADS'))"


def _probe(env_value):
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    if env_value is not None:
        env["OPENBLAS_NUM_THREADS"] = env_value
    done = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True)
    return done.stdout.split()


def test_cli_sets_one_blas_thread_before_numpy_loads():
    assert _probe(None) == ["False", "1"]  # set while NumPy is not yet imported, so it takes effect


def test_a_users_own_blas_thread_count_is_kept():
    assert _probe("3") == ["False", "3"]
