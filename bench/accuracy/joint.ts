import type { Head } from './heads.js';
export interface JointCaseResult { id: number }
export async function runJointStudy(_heads: Head[], _n: number, _seed: number): Promise<JointCaseResult[]> { return []; }
