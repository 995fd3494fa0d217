"""MNE-Python side of the mxne benchmarks (see bench/sideProcess.ts for the line protocol).

Usage: python3 bench/mne_side.py '<workload spec as JSON>'
Each workload function does exactly what the mxne side (bench/mxneSide.ts) does, with MNE 1.3's
public API, and returns a check (active sources or columns) so the harness can confirm both sides
found the same solution. "probe" is answered like "run" (event-loop stalls are a Node notion).
For 'process' workloads each run is bench/mne_script.py as a whole process, and "quit" answers
the largest peak RSS of those processes.
"""
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np
import mne
from mne.inverse_sparse import gamma_map, mixed_norm, tf_mixed_norm
from mne.inverse_sparse.mxne_optim import (iterative_mixed_norm_solver,
                                           mixed_norm_solver)
from mne.minimum_norm import apply_inverse, make_inverse_operator

mne.set_log_level('ERROR')
# bench/workloads.ts SEED_OPTIONS, in MNE's names.
SEED = dict(alpha=55, loose=0.2, depth=0.9, maxit=3000, tol=1e-4,
            active_set_size=10, debias=True, weights_min=8., n_mxne_iter=10)
CAMEL = dict(activeSetSize='active_set_size', weightsMin='weights_min',
             nMxneIter='n_mxne_iter', dgapFreq='dgap_freq', timePca='time_pca',
             pickOri='pick_ori', randomState='random_state')


def _dspm_operator(info, fwd, cov, loose, depth):
    """The operator of lib/workflow/dspmWeights.ts: fixed orientation on surfaces when loose < 1."""
    volume = any(s['type'] == 'vol' for s in fwd['src'])
    fixed = not volume and loose < 1
    return make_inverse_operator(info, fwd, cov, depth=depth, use_cps=True,
                                 **(dict(fixed=True) if fixed else dict(loose=1.0, fixed=False)))


def _weights(evoked, fwd, cov, loose, depth, inv=None):
    """lib/workflow/dspmWeights.ts; `inv`: the operator made before for the same info, forward and covariance."""
    if inv is None:
        inv = _dspm_operator(evoked.info, fwd, cov, loose, depth)
    return apply_inverse(evoked, inv, lambda2=1. / 9., method='dSPM')


def _read(spec):
    evoked = mne.read_evokeds(spec['evoked'], condition=spec.get('condition', 0),
                              baseline=(None, 0))
    tmin, tmax = spec.get('crop') or (0, 0.3)  # bench/workloads.ts DEFAULT_CROP
    evoked.crop(tmin=tmin, tmax=tmax)
    return (evoked, mne.read_forward_solution(spec['fwd']),
            mne.read_cov(spec['cov']))


def _sources(dipoles, fwd):
    """Forward source index of each dipole (nearest source position, head coordinates)."""
    rr = fwd['source_rr']
    return sorted(int(np.argmin(np.linalg.norm(rr - d.pos[0], axis=1)))
                  for d in dipoles)


def make_workload(spec):
    opts = dict(SEED)
    for k, v in (spec.get('options') or {}).items():
        opts[CAMEL.get(k, k)] = v
    if spec['kind'] == 'solver':
        p = json.load(open(spec['problem']))
        root = spec['fixtures']
        G = np.load(f"{root}/{p['G']['file']}")
        M = np.load(f"{root}/{p['M']['file']}")
        kw = dict(maxit=p['maxit'], tol=p['tol'], n_orient=p['n_orient'],
                  dgap_freq=p['dgap_freq'], active_set_size=p['active_set_size'],
                  debias=True)

        def run():
            if spec['run'] == 'irmxne':
                X, a, _ = iterative_mixed_norm_solver(M, G, p['alpha'], 10, **kw)
            else:
                X, a, _ = mixed_norm_solver(M, G, p['alpha'], **kw)
            return {'activeColumns': np.where(a)[0].tolist()}, {}
        return run

    if spec['kind'] == 'mixedNorm':
        evoked, fwd, cov = _read(spec)
        weights = _weights(evoked, fwd, cov, opts['loose'], opts['depth'])

        def run():
            dips, _ = mixed_norm(evoked, fwd, cov, weights=weights,
                                 return_residual=True, return_as_dipoles=True,
                                 **opts)
            return {'activeSources': _sources(dips, fwd)}, {}
        return run

    if spec['kind'] in ('tfMixedNorm', 'gammaMap'):
        evoked, fwd, cov = _read(spec)
        o = spec['options']

        def run():
            if spec['kind'] == 'tfMixedNorm':
                dips, _ = tf_mixed_norm(evoked, fwd, cov, alpha=o['alpha'], l1_ratio=o['l1Ratio'],
                                        return_residual=True, return_as_dipoles=True)
            else:
                dips, _ = gamma_map(evoked, fwd, cov, o['alpha'], xyz_same_gamma=True,
                                    return_residual=True, return_as_dipoles=True)
            return {'activeSources': _sources(dips, fwd)}, {}
        return run

    if spec['kind'] == 'process':
        out = tempfile.mkdtemp(prefix='mne-bench-process-')
        script = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'mne_script.py')
        cmd = [sys.executable, script, json.dumps(spec), out] + (['--figures'] if spec.get('figures') else [])

        def run():
            r = subprocess.run(cmd, capture_output=True, text=True)
            if r.returncode != 0:
                raise RuntimeError(' | '.join(r.stderr.strip().splitlines()[-3:]))
            # MNE prints "Convergence reached …" on stdout: the check is the last JSON line.
            last = [line for line in r.stdout.splitlines() if line.startswith('{')][-1]
            return json.loads(last), {}
        run.cleanup = lambda: shutil.rmtree(out, ignore_errors=True)
        return run

    if spec['kind'] == 'pipeline':
        def run():
            t0 = time.perf_counter()
            evoked, fwd, cov = _read(spec)
            t1 = time.perf_counter()
            weights = _weights(evoked, fwd, cov, opts['loose'], opts['depth'])
            t2 = time.perf_counter()
            dips, _ = mixed_norm(evoked, fwd, cov, weights=weights,
                                 return_residual=True, return_as_dipoles=True,
                                 **opts)
            t3 = time.perf_counter()
            return ({'activeSources': _sources(dips, fwd)},
                    {'read': t1 - t0, 'dspm': t2 - t1, 'mixed_norm': t3 - t2})
        return run

    raise ValueError(f"unknown workload kind {spec['kind']}")


def _attempt(run):
    t0 = time.perf_counter()
    try:
        check, stages = run()
        return {'seconds': time.perf_counter() - t0, 'check': check, 'stages': stages}
    except Exception as e:  # reported in the table, not fatal for the whole bench
        return {'seconds': time.perf_counter() - t0, 'check': None, 'stages': {},
                'error': f'{type(e).__name__}: {e}'}


def _peak_rss_mb():
    """VmHWM (Linux): peak RSS of this process image; ru_maxrss would include the parent's RSS at fork."""
    try:
        with open('/proc/self/status') as f:
            for line in f:
                if line.startswith('VmHWM:'):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _blas_threads():
    try:
        from threadpoolctl import threadpool_info
        return max(i['num_threads'] for i in threadpool_info() if i['user_api'] == 'blas')
    except Exception:
        return None


def _blas_core():
    """The OpenBLAS kernel set numpy runs (openblas_get_corename of the library already loaded)."""
    try:
        import ctypes
        import numpy  # noqa: F401  (loads OpenBLAS through libblas.so.3)
        lib = ctypes.CDLL('libopenblas.so.0')
        lib.openblas_get_corename.restype = ctypes.c_char_p
        return lib.openblas_get_corename().decode()
    except Exception:
        return None


def main():
    if sys.argv[1:] == ['--blas-core']:
        print(json.dumps({'blasCore': _blas_core()}), flush=True)
        return
    try:
        spec = json.loads(sys.argv[1])
        run = make_workload(spec)
    except Exception as e:
        print(json.dumps({'ready': False, 'error': f'{type(e).__name__}: {e}'}), flush=True)
        return
    warm = _attempt(run)  # warm-up
    ready = {'ready': True, 'blasThreads': _blas_threads(), 'blasCore': _blas_core()}
    if 'error' in warm:
        ready['error'] = warm['error']
    print(json.dumps(ready), flush=True)
    for line in sys.stdin:
        if line.strip() in ('run', 'probe'):
            print(json.dumps(_attempt(run)), flush=True)
        elif line.strip() == 'quit':
            if spec['kind'] == 'process':
                run.cleanup()
                rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            else:
                rss_mb = _peak_rss_mb()
            print(json.dumps({'maxRssMb': rss_mb}), flush=True)
            return


if __name__ == '__main__':
    main()
