/** Cortical patch information from `nearest`, as MNE's `_add_patch_info`. */

export function patchInfo(nearest: Int32Array | null, vertno: Int32Array): { pinfo: Int32Array[] | null; patchInds: Int32Array | null } {
  if (nearest === null) return { pinfo: null, patchInds: null };
  // Group vertices by their nearest used vertex; groups ascend by that vertex, members ascend too.
  const order = Int32Array.from(nearest.keys()).sort((a, b) => nearest[a] - nearest[b] || a - b);
  const pinfo: Int32Array[] = [];
  const patchVerts: number[] = [];
  let start = 0;
  for (let k = 1; k <= order.length; k++) {
    if (k === order.length || nearest[order[k]] !== nearest[order[k - 1]]) {
      pinfo.push(order.slice(start, k));
      patchVerts.push(nearest[order[k - 1]]);
      start = k;
    }
  }
  // MNE searches vertno in the group values without the last group (searchsorted, side 'left').
  patchVerts.pop();
  const patchInds = new Int32Array(vertno.length);
  vertno.forEach((v, i) => {
    let lo = 0, hi = patchVerts.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (patchVerts[mid] < v) lo = mid + 1; else hi = mid; }
    patchInds[i] = lo;
  });
  return { pinfo, patchInds };
}
