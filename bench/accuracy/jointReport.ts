/** The multi-condition section of bench/ACCURACY.md. */
import { median } from '../stats.js';
import { JOINT_METHODS, type JointCaseResult } from './joint.js';

export function renderJoint(cases: JointCaseResult[]): string[] {
  if (cases.length === 0) return [];
  const rows = JOINT_METHODS.map((m) => {
    let shared = 0, sharedBoth = 0, nShared = 0, own = 0, nOwn = 0, spurious = 0;
    for (const c of cases) {
      const sc = c.scores[m];
      for (let j = 0; j < c.nShared; j++) {
        nShared += 2;
        const found = sc.map((s) => s.sources[j].recovered);
        shared += found.filter(Boolean).length;
        if (found.every(Boolean)) sharedBoth++;
      }
      sc.forEach((s, k) => { for (let j = c.nShared; j < c.truth[k].length; j++) { nOwn++; if (s.sources[j].recovered) own++; } spurious += s.spurious; });
    }
    const p = (a: number, b: number) => (b === 0 ? '—' : `${((100 * a) / b).toFixed(1)} %`);
    const nSharedSources = nShared / 2;
    return `| ${m} | ${p(shared, nShared)} | ${p(sharedBoth, nSharedSources)} | ${p(own, nOwn)} | ${(spurious / (2 * cases.length)).toFixed(2)} | ${median(cases.map((c) => c.seconds[m])).toFixed(2)} |`;
  });
  return [
    '## Multi-condition cases (L2,1,2)',
    '',
    `${cases.length} recordings with two conditions (heads: ${[...new Set(cases.map((c) => c.head))].join(', ')}), 1–2 sources shared by both conditions (same place and orientation, own time courses and SNR) and, in half of them, one source of one condition only; nave drawn per condition. Every method picks alpha by the discrepancy principle (\`--auto\`'s rule). Scored per condition.`,
    '',
    '| method | shared sources recovered (per condition) | shared sources found in both conditions | condition-specific sources recovered | spurious per condition | time per recording, median s |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
  ];
}
