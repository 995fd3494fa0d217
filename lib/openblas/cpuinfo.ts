/**
 * The CPU's identity as Linux reports it in /proc/cpuinfo (first processor): enough to tell which
 * kernel set OpenBLAS picks and which one the CPU can run.
 */
import * as fs from 'node:fs';

export interface CpuInfo {
  vendor: string;
  /** `cpu family` as Linux prints it: base family plus extended family (AMD Zen 2 = 23). */
  family: number;
  /** `model` as Linux prints it: extended model in the high nibble (Intel 0xCF = 207). */
  model: number;
  modelName: string;
  flags: ReadonlySet<string>;
}

/** Parses the first processor block of /proc/cpuinfo text; null where the fields are absent (not x86). */
export function parseCpuinfo(text: string): CpuInfo | null {
  const block = text.split(/\n\s*\n/)[0] ?? '';
  const field = (name: string): string | undefined => {
    const m = block.match(new RegExp(`^${name}\\s*:\\s*(.*)$`, 'm'));
    return m?.[1].trim();
  };
  const vendor = field('vendor_id');
  const family = Number(field('cpu family'));
  const model = Number(field('model'));
  if (vendor === undefined || !Number.isInteger(family) || !Number.isInteger(model)) return null;
  return { vendor, family, model, modelName: field('model name') ?? '', flags: new Set((field('flags') ?? '').split(/\s+/).filter(Boolean)) };
}

/**
 * Reads /proc/cpuinfo, or the file named by MXNE_CPUINFO (a cpuinfo recorded on another machine,
 * to see what mxne would choose there); null off Linux or when unreadable.
 */
export function readCpuinfo(env: NodeJS.ProcessEnv = process.env): CpuInfo | null {
  try {
    return parseCpuinfo(fs.readFileSync(env.MXNE_CPUINFO || '/proc/cpuinfo', 'utf8'));
  } catch {
    return null;
  }
}
