/**
 * "Where the time goes" in bench/ACCURACY.md: the run's parts (wall), the CPU of both sides, and
 * each method's solve time summed over the cases, by head — the profile that says what a faster
 * study has to cut.
 */
import type { StudyResults } from './run.js';

const s0 = (x: number) => (Number.isFinite(x) ? x.toFixed(0) : '—');

export function renderTime(r: StudyResults, names: string[]): string[] {
  const t = r.time;
  if (t === undefined) return [];
  const heads = Object.keys(r.heads);
  const sums = names.map((n) => {
    const byHead = heads.map((h) => r.cases.filter((c) => c.spec.head === h).reduce((acc, c) => {
      const m = c.methods[n];
      return m === undefined || m.reused || !Number.isFinite(m.seconds) ? acc : acc + m.seconds;
    }, 0));
    return { n, byHead, all: byHead.reduce((a, b) => a + b, 0) };
  });
  const jointSums = r.joint.length === 0 ? [] : Object.keys(r.joint[0].seconds).map((n) => ({ n, all: r.joint.reduce((acc, c) => acc + c.seconds[n as keyof typeof c.seconds], 0) }));
  return [
    '## Where the time goes',
    '',
    `Wall: ${s0(t.heads)} s for the heads (the sphere forward computed, the fixture forwards read, the held-out sets), ${s0(t.simulate)} s to simulate the cases and write their evoked files; then, at the same time, MNE-Python ${s0(t.mne)} s (two processes, ${s0(t.mneCpu)} s CPU) and mxne ${s0(t.mxneSingle)} s on the single-condition cases and ${s0(t.mxneJoint)} s more on the two-condition ones (two cases at a time; ${s0(t.mxneCpu)} s CPU for this whole Node process). Load average at the end: ${t.loadEnd.map((x) => x.toFixed(2)).join(' / ')}. The two sides' CPU (set-up included) adds up to ${((t.mxneCpu + t.mneCpu) / 60).toFixed(1)} min: on two cores of its own the run needs at least half that, ${((t.mxneCpu + t.mneCpu) / 120).toFixed(1)} min.`,
    '',
    'Solve time summed over the cases (s, wall per solve; each head\'s preparation — prepared gain, dSPM operator — is made by its first solve and shared by the rest, on both sides, except mxne seed and the default \`--auto\` on the surface head, which prepare within every solve for the time target):',
    '',
    `| method | ${heads.join(' | ')} | all |`,
    `| --- | ${heads.map(() => '---:').join(' | ')} | ---: |`,
    ...sums.map(({ n, byHead, all }) => `| ${n} | ${byHead.map(s0).join(' | ')} | ${s0(all)} |`),
    ...jointSums.map(({ n, all }) => `| two conditions: ${n} | ${heads.map(() => '').join(' | ')} | ${s0(all)} |`),
  ];
}
