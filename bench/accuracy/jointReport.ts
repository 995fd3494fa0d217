import type { JointCaseResult } from './joint.js';
export function renderJoint(_j: JointCaseResult[]): string[] { return []; }
