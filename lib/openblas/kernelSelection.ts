/**
 * Loads the addon with the kernel set chooseCoretype() asks for, then confirms it: OpenBLAS reports
 * the set it runs, and a set mxne chose itself must pass the numerical self-check or the load fails
 * with what to set. OPENBLAS_CORETYPE is only set for the load (OpenBLAS reads it once, in its
 * constructor) and restored afterwards, so child processes (MNE-Python in tests and the bench) run
 * with the environment they were given.
 */
import { chooseCoretype, featureCoretype, isGenericCore, type CoretypeChoice } from './coretype.js';
import { readCpuinfo } from './cpuinfo.js';
import { blasSelfCheck, type CheckedRoutines } from './selfCheck.js';

const VECTOR_FEATURES = ['avx', 'avx2', 'fma', 'avx512f', 'avx512bw', 'avx512vl', 'avx512dq', 'avx512cd'];

export interface BlasIdentity { corename: string; config: string }

export interface KernelSelection {
  /** `model name` of the CPU, or null when it could not be read. */
  cpu: string | null;
  /** The CPU's vector features OpenBLAS's kernel sets depend on (from the same /proc/cpuinfo read). */
  cpuFeatures: string[];
  /** OpenBLAS's kernel set in use and its build line (version, DYNAMIC_ARCH, threading). */
  corename: string;
  config: string;
  /** What mxne asked for (null: nothing) and why. */
  choice: CoretypeChoice;
  /** A situation worth acting on (generic kernels on a capable CPU, a selection that did not take), else null. */
  warning: string | null;
}

export function loadWithKernelSelection<T extends CheckedRoutines & { blasInfo(): BlasIdentity }>(
  load: () => T, env: NodeJS.ProcessEnv = process.env): { addon: T; selection: KernelSelection } {
  const cpu = readCpuinfo(env);
  const choice = chooseCoretype(env, cpu);
  let addon: T;
  if (choice.set !== null) {
    // Restored, not deleted: `env` need not be process.env, whose own value must survive the load.
    const before = process.env.OPENBLAS_CORETYPE;
    process.env.OPENBLAS_CORETYPE = choice.set;
    try { addon = load(); } finally {
      if (before === undefined) delete process.env.OPENBLAS_CORETYPE;
      else process.env.OPENBLAS_CORETYPE = before;
    }
  } else addon = load();

  const { corename, config } = addon.blasInfo();
  let warning: string | null = null;
  if (choice.set !== null) {
    if (corename.toLowerCase() !== choice.set.toLowerCase()) {
      // OpenBLAS was already loaded (by a worker thread first, or another addon), or has no such set.
      warning = `mxne asked OpenBLAS for its ${choice.set} kernels but it runs ${corename}; set OPENBLAS_CORETYPE=${choice.set} before starting the process`;
    }
    const failures = blasSelfCheck(addon);
    if (failures.length > 0) {
      throw new Error(`mxne: OpenBLAS's ${corename} kernels, selected because ${choice.reason}, fail mxne's numerical self-check ` +
        `(${failures.join('; ')}). Start with MXNE_BLAS_CORETYPE=keep to use OpenBLAS's own choice, or set OPENBLAS_CORETYPE to a kernel set that works on this CPU.`);
    }
  } else if (cpu !== null && isGenericCore(corename) && !env.OPENBLAS_CORETYPE) {
    const better = featureCoretype(cpu);
    if (better !== null) warning = `OpenBLAS runs its generic ${corename} kernels on a CPU that can run ${better}: set OPENBLAS_CORETYPE=${better} (several times faster)`;
  }
  const cpuFeatures = VECTOR_FEATURES.filter((f) => cpu?.flags.has(f));
  return { addon, selection: { cpu: cpu?.modelName ?? null, cpuFeatures, corename, config, choice, warning } };
}
