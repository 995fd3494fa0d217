"""MNE-Python side of `npm run bench:cohort` (bench/cohort.ts): the cohort as MNE's users run it,
one script, a loop. Per subject the forward and the covariance are read once; per recording the
evoked is read (baseline (None, 0), crop 0…0.3 s), the seed's dSPM weights computed
(make_inverse_operator + apply_inverse, as bench/mne_side.py), mixed_norm run with the seed
settings, and the outputs mxne batch writes saved (stc from the dipoles, one .bdip per dipole,
the residual evoked).

Usage: python3 bench/cohort_mne.py ROWS.json OUT_DIR   (ROWS: [{id, fwd, evoked, cov, condition}])
Prints one JSON line: {"seconds", "cpuSeconds" (whole process, loading included), "rows": {id: {"seconds", "activeSources"}}, "maxRssMb"}.
"""
import json
import os
import resource
import sys
import time

import mne
from mne.inverse_sparse import make_stc_from_dipoles, mixed_norm

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mne_side import SEED, _peak_rss_mb, _sources, _weights  # noqa: E402

mne.set_log_level('ERROR')


def main():
    rows = json.load(open(sys.argv[1]))
    out = sys.argv[2]
    results = {}
    t0 = time.perf_counter()
    subjects = {}
    for r in rows:
        subjects.setdefault((r['fwd'], r['cov']), []).append(r)
    for (fwd_file, cov_file), recs in subjects.items():
        fwd = mne.read_forward_solution(fwd_file)
        cov = mne.read_cov(cov_file)
        for r in recs:
            t1 = time.perf_counter()
            evoked = mne.read_evokeds(r['evoked'], condition=r['condition'], baseline=(None, 0))
            evoked.crop(tmin=0, tmax=0.3)
            weights = _weights(evoked, fwd, cov, SEED['loose'], SEED['depth'])
            dips, residual = mixed_norm(evoked, fwd, cov, weights=weights, return_residual=True,
                                        return_as_dipoles=True, **SEED)
            folder = os.path.join(out, r['id'])
            os.makedirs(os.path.join(folder, 'dipoles'), exist_ok=True)
            if dips:
                make_stc_from_dipoles(dips, fwd['src']).save(os.path.join(folder, 'mne'), overwrite=True)
            for k, d in enumerate(dips):
                # .dip: MNE 1.3's .bdip writer fails on mixed_norm's dipoles (a float khi2)
                d.save(os.path.join(folder, 'dipoles', f'dipole-{k:02d}.dip'), overwrite=True)
            residual.save(os.path.join(folder, 'residual-ave.fif'), overwrite=True)
            results[r['id']] = {'seconds': time.perf_counter() - t1, 'activeSources': _sources(dips, fwd)}
    ru = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({'seconds': time.perf_counter() - t0, 'cpuSeconds': ru.ru_utime + ru.ru_stime,
                      'rows': results, 'maxRssMb': _peak_rss_mb()}), flush=True)


if __name__ == '__main__':
    main()
