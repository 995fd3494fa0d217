/** The defaults of `mxne batch` with no option given: those of `mxne solve`. */
import type { BatchDefaults } from '../../lib/batch/plan.js';
import { recordingOptionsCommand } from '../../lib/batch/rowOptions.js';

export function batchDefaults(): BatchDefaults {
  const cmd = recordingOptionsCommand();
  cmd.parse([], { from: 'user' });
  return cmd.opts() as BatchDefaults;
}
