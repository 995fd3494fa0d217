"""The seed example as MNE-Python's users run it: one script, one process (bench workload group
"process", beside `mxne solve` as a whole process). Reads the evoked (baseline (None, 0), crop
0…0.3 s), the forward and the covariance; dSPM weights and mixed_norm with the seed settings
(as bench/mne_side.py); saves what `mxne solve --no-report` writes (stc from the dipoles, one
file per dipole, the residual evoked) and, with --figures, the seed example's 2-D figures
(plot_dipole_amplitudes, evoked and residual butterflies with the seed's y-limits) as SVG: the
counterpart of mxne's default report, which also draws a glass brain and a 3-D view.

Usage: /usr/bin/python3 bench/mne_script.py SPEC_JSON OUT_DIR [--figures]
Prints one JSON line: {"activeSources": [...]}.
"""
import json
import os
import sys

import mne
from mne.inverse_sparse import make_stc_from_dipoles, mixed_norm

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mne_side import SEED, _read, _sources, _weights  # noqa: E402

mne.set_log_level('ERROR')


def figures(out, dipoles, evoked, residual):
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    from mne.viz import plot_dipole_amplitudes
    ylim = dict(eeg=[-10, 10], grad=[-400, 400], mag=[-600, 600])
    plot_dipole_amplitudes(dipoles, show=False).savefig(os.path.join(out, 'dipole-amplitudes.svg'))
    for name, e in (('evoked', evoked), ('residual', residual)):
        e.copy().pick_types(meg=True, eeg=True, exclude='bads').plot(
            ylim=ylim, proj=True, time_unit='s', show=False).savefig(os.path.join(out, f'butterfly-{name}.svg'))
    plt.close('all')


def main():
    spec, out = json.loads(sys.argv[1]), sys.argv[2]
    os.makedirs(os.path.join(out, 'dipoles'), exist_ok=True)
    evoked, fwd, cov = _read(spec)
    weights = _weights(evoked, fwd, cov, SEED['loose'], SEED['depth'])
    dipoles, residual = mixed_norm(evoked, fwd, cov, weights=weights, return_residual=True,
                                   return_as_dipoles=True, **SEED)
    if dipoles:
        make_stc_from_dipoles(dipoles, fwd['src']).save(os.path.join(out, 'mxne'), overwrite=True)
    for k, d in enumerate(dipoles):
        # .dip: MNE 1.3's .bdip writer fails on mixed_norm's dipoles (a float khi2)
        d.save(os.path.join(out, 'dipoles', f'dipole-{k:02d}.dip'), overwrite=True)
    residual.save(os.path.join(out, 'residual-ave.fif'), overwrite=True)
    if '--figures' in sys.argv[3:]:
        figures(out, dipoles, evoked, residual)
    print(json.dumps({'activeSources': _sources(dipoles, fwd)}), flush=True)


if __name__ == '__main__':
    main()
