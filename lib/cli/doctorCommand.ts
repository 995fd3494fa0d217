/**
 * `mxne doctor`: what mxne runs on — the CPU, OpenBLAS's version and build, the kernel set in use
 * and why (lib/openblas), the numerical self-check, and the GEMM rate measured in a quick probe —
 * so a slow or suspicious machine can be told apart from a slow algorithm.
 */
import { Command } from 'commander';
import { performance } from 'node:perf_hooks';
import { addon, blasSelection, getNumThreads, mallocPolicy } from '../native.js';
import { blasSelfCheck } from '../openblas/selfCheck.js';
import { version } from '../version.js';

export interface DoctorReport {
  mxne: string; node: string; cpu: string | null; cpuFeatures: string[];
  openblas: string; kernels: string; reason: string; warning: string | null;
  blasThreads: number; selfCheck: string[]; gemmGflops: number;
  /** Whether the C allocator keeps large blocks for reuse (lib/memoryPolicy.ts), and why. */
  mallocReuse: string;
}

/** Best of 3 single-thread-as-configured n×n dgemm, in GFLOP/s (2n³ flops each). */
function gemmRate(n = 1000): number {
  const A = Float64Array.from({ length: n * n }, (_, k) => Math.sin(k));
  const B = Float64Array.from({ length: n * n }, (_, k) => Math.cos(k));
  const C = new Float64Array(n * n);
  let best = Infinity;
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    addon.gemm(false, false, n, n, A, n, n, B, 1, 0, C);
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  return (2 * n ** 3) / best / 1e9;
}

export function doctorReport(): DoctorReport {
  return {
    mxne: version(), node: process.version, cpu: blasSelection.cpu, cpuFeatures: blasSelection.cpuFeatures,
    openblas: blasSelection.config, kernels: blasSelection.corename, reason: blasSelection.choice.reason,
    warning: blasSelection.warning, blasThreads: getNumThreads(), selfCheck: blasSelfCheck(addon), gemmGflops: gemmRate(),
    mallocReuse: `${mallocPolicy.applied ? 'on' : 'off'}: ${mallocPolicy.reason}`,
  };
}

export function doctorCommand(): Command {
  return new Command('doctor')
    .description('Report the CPU, OpenBLAS and the kernel set mxne runs on, with a self-check and a GEMM probe')
    .option('--json', 'print the report as JSON')
    .action((o: { json?: boolean }) => {
      const r = doctorReport();
      if (o.json) { process.stdout.write(`${JSON.stringify(r, null, 2)}\n`); return; }
      const lines = [
        `mxne ${r.mxne} on Node ${r.node}`,
        `CPU          ${r.cpu ?? 'unknown'} (${r.cpuFeatures.join(' ') || 'no AVX'})`,
        `OpenBLAS     ${r.openblas}`,
        `kernels      ${r.kernels}: ${r.reason}`,
        `threads      ${r.blasThreads} BLAS thread(s) per call`,
        `self-check   ${r.selfCheck.length === 0 ? 'dgemm, dsyrk, dsyevd, dgesdd agree with plain loops' : `FAILED: ${r.selfCheck.join('; ')}`}`,
        `GEMM rate    ${r.gemmGflops.toFixed(1)} GFLOP/s (1000×1000 dgemm, best of 3)`,
        `memory       ${r.mallocReuse}`,
      ];
      if (r.warning) lines.push(`warning      ${r.warning}`);
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
