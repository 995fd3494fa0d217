"""MNE-Python side of the accuracy study (bench/accuracy/run.ts): MNE 1.3's seed settings on
simulated recordings, many per process (MNE's import and the forward reads are paid once).

Usage: python3 bench/accuracy/mne_accuracy.py cases.json
cases.json: [{"id", "evoked", "fwd", "cov"}, ...]. For each case prints one JSON line:
{"id", "seconds" (dSPM weights + mixed_norm), "dipoles": [{"pos", "peak", "sourceIndex"}]} or
{"id", "error"}. The settings and the dSPM weights are bench/mne_side.py's (one definition).
"""
import json
import os
import sys
import time

import numpy as np
import mne
from mne.inverse_sparse import mixed_norm

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from mne_side import SEED, _weights  # noqa: E402

mne.set_log_level('ERROR')


def main():
    cases = json.load(open(sys.argv[1]))
    fwds, covs = {}, {}
    for c in cases:
        try:
            if c['fwd'] not in fwds:
                fwds[c['fwd']] = mne.read_forward_solution(c['fwd'])
            if c['cov'] not in covs:
                covs[c['cov']] = mne.read_cov(c['cov'])
            fwd, cov = fwds[c['fwd']], covs[c['cov']]
            evoked = mne.read_evokeds(c['evoked'], condition=0)
            # MNE's loose='auto': 0.2 on a surface source space, 1 on a volume.
            loose = 1.0 if any(s['type'] == 'vol' for s in fwd['src']) else 0.2
            opts = dict(SEED, loose=loose)
            t0 = time.perf_counter()
            weights = _weights(evoked, fwd, cov, loose, opts['depth'])
            dips = mixed_norm(evoked, fwd, cov, weights=weights, return_as_dipoles=True, **opts)
            seconds = time.perf_counter() - t0
            rr = fwd['source_rr']
            out = [{'pos': d.pos[0].tolist(), 'peak': float(np.max(np.abs(d.amplitude))),
                    'sourceIndex': int(np.argmin(np.linalg.norm(rr - d.pos[0], axis=1)))}
                   for d in dips]
            print(json.dumps({'id': c['id'], 'seconds': seconds, 'dipoles': out}), flush=True)
        except Exception as e:  # one bad case is a row in the table, not the end of the study
            print(json.dumps({'id': c['id'], 'error': f'{type(e).__name__}: {e}'}), flush=True)


if __name__ == '__main__':
    main()
