"""MNE-Python side of the accuracy study (bench/accuracy/run.ts): MNE 1.3's seed settings on
simulated recordings, many per process (MNE's import, the forward and covariance reads and each
head's dSPM operator are paid once per process, as mxne's side shares its preparation per head).

Usage: python3 bench/accuracy/mne_accuracy.py cases.json
cases.json: [{"id", "evoked", "fwd", "cov", "heldOut"}, ...]; heldOut (or null) is a JSON file of
the forward's sources to take out before solving — the study's truth sites, so no true source lies
on the grid the inverse searches (bench/accuracy/truthSites.ts) — taken out by MNE's own
_restrict_forward_to_src_sel (what restrict_forward_to_label uses). For each case prints one JSON
line: {"id", "seconds" (dSPM weights + mixed_norm), "dipoles": [{"pos", "peak", "sourceIndex"}]}
or {"id", "error"}; at the end {"cpuSeconds"} of the process. The settings and the dSPM weights
are bench/mne_side.py's (one definition).
"""
import json
import os
import sys
import time

import numpy as np
import mne
from mne.forward.forward import _restrict_forward_to_src_sel
from mne.inverse_sparse import mixed_norm

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from mne_side import SEED, _dspm_operator, _weights  # noqa: E402

mne.set_log_level('ERROR')


def _forward(path, held_out):
    fwd = mne.read_forward_solution(path)
    if held_out is None:
        return fwd
    drop = json.load(open(held_out))
    return _restrict_forward_to_src_sel(fwd, np.setdiff1d(np.arange(fwd['nsource']), drop))


def main():
    cases = json.load(open(sys.argv[1]))
    fwds, covs, invs = {}, {}, {}
    for c in cases:
        try:
            key = (c['fwd'], c['heldOut'])
            if key not in fwds:
                fwds[key] = _forward(c['fwd'], c['heldOut'])
            if c['cov'] not in covs:
                covs[c['cov']] = mne.read_cov(c['cov'])
            fwd, cov = fwds[key], covs[c['cov']]
            evoked = mne.read_evokeds(c['evoked'], condition=0)
            # MNE's loose='auto': 0.2 on a surface source space, 1 on a volume.
            loose = 1.0 if any(s['type'] == 'vol' for s in fwd['src']) else 0.2
            opts = dict(SEED, loose=loose)
            t0 = time.perf_counter()
            # The operator depends on the head's info, forward and covariance, not on the case.
            if key not in invs:
                invs[key] = _dspm_operator(evoked.info, fwd, cov, loose, opts['depth'])
            weights = _weights(evoked, fwd, cov, loose, opts['depth'], invs[key])
            dips = mixed_norm(evoked, fwd, cov, weights=weights, return_as_dipoles=True, **opts)
            seconds = time.perf_counter() - t0
            rr = fwd['source_rr']
            out = [{'pos': d.pos[0].tolist(), 'peak': float(np.max(np.abs(d.amplitude))),
                    'sourceIndex': int(np.argmin(np.linalg.norm(rr - d.pos[0], axis=1)))}
                   for d in dips]
            print(json.dumps({'id': c['id'], 'seconds': seconds, 'dipoles': out}), flush=True)
        except Exception as e:  # one bad case is a row in the table, not the end of the study
            print(json.dumps({'id': c['id'], 'error': f'{type(e).__name__}: {e}'}), flush=True)
    print(json.dumps({'cpuSeconds': time.process_time()}), flush=True)


if __name__ == '__main__':
    main()
