/**
 * Which OpenBLAS kernel set mxne asks for before the addon (and OpenBLAS with it) loads.
 *
 * OpenBLAS built with DYNAMIC_ARCH picks its kernels from the CPU model once, in its load-time
 * constructor, reading OPENBLAS_CORETYPE first. Debian 12's 0.3.21 falls through its Intel table
 * for every family-6 model from 0xB0 on (Raptor Lake, Emerald Rapids, …: the extended-model switch
 * has no case and no break, so it lands in the Pentium 4 branch) and runs the SSE3 `Prescott`
 * kernels there, 3–4.5× slower than the AVX2/AVX-512 ones on the same CPU. Where that happens and
 * the CPU has the instructions, mxne selects the matching set; anything set on purpose is kept.
 */
import type { CpuInfo } from './cpuinfo.js';

export interface CoretypeChoice {
  /** The value to put in OPENBLAS_CORETYPE before loading, or null to leave OpenBLAS to itself. */
  set: string | null;
  /** Why, in words for `mxne doctor` and result.json. */
  reason: string;
}

const AVX512 = ['avx512f', 'avx512bw', 'avx512vl', 'avx512dq', 'avx512cd'];
/** Kernel sets of OpenBLAS that use neither AVX2 nor AVX-512 (its generic x86-64 fallbacks). */
const GENERIC = new Set(['prescott', 'core2', 'penryn', 'dunnington', 'nehalem', 'atom', 'katmai', 'northwood', 'banias', 'coppermine']);

export function isGenericCore(corename: string): boolean {
  return GENERIC.has(corename.toLowerCase());
}

/** The best kernel set the CPU's own features allow, among those mxne selects. */
export function featureCoretype(cpu: CpuInfo): 'SkylakeX' | 'Haswell' | null {
  if (AVX512.every((f) => cpu.flags.has(f))) return 'SkylakeX';
  if (cpu.flags.has('avx2') && cpu.flags.has('fma')) return 'Haswell';
  return null;
}

/** True where OpenBLAS 0.3.21's CPU table sends a modern Intel CPU to its Prescott fallback. */
export function fallsToPrescott(cpu: CpuInfo): boolean {
  return cpu.vendor === 'GenuineIntel' && cpu.family === 6 && cpu.model >> 4 >= 0xb;
}

/** The decision, from the environment and the CPU (null when the CPU could not be read). */
export function chooseCoretype(env: NodeJS.ProcessEnv, cpu: CpuInfo | null): CoretypeChoice {
  if (env.OPENBLAS_CORETYPE) return { set: null, reason: `OPENBLAS_CORETYPE=${env.OPENBLAS_CORETYPE} is set in the environment` };
  if (env.MXNE_BLAS_CORETYPE === 'keep') return { set: null, reason: "selection turned off (MXNE_BLAS_CORETYPE=keep)" };
  if (cpu === null) return { set: null, reason: 'CPU identity unknown (no /proc/cpuinfo): OpenBLAS chooses' };
  const id = `${cpu.vendor} family ${cpu.family} model ${cpu.model}`;
  if (!fallsToPrescott(cpu)) return { set: null, reason: `OpenBLAS's own table covers ${id}` };
  const want = featureCoretype(cpu);
  if (want === null) return { set: null, reason: `${id} has neither AVX-512 nor AVX2+FMA: OpenBLAS chooses` };
  const features = want === 'SkylakeX' ? 'AVX-512 (F, BW, VL, DQ, CD)' : 'AVX2 + FMA';
  return { set: want, reason: `OpenBLAS 0.3.21 falls back to Prescott on ${id}; the CPU has ${features}` };
}
