/** Cortical patch information from `nearest`, as MNE's `_add_patch_info`. */

export function patchInfo(nearest: Int32Array | null, vertno: Int32Array): { pinfo: Int32Array[] | null; patchInds: Int32Array | null } {
  if (nearest === null) return { pinfo: null, patchInds: null };
  // Bucket the vertices by their nearest used vertex (values are checked to lie in [0, np)):
  // patches ascend by that vertex and members ascend too, as MNE's argsort + sort gives.
  const np = nearest.length;
  const start = new Int32Array(np + 1);
  for (let k = 0; k < np; k++) start[nearest[k] + 1]++;
  for (let v = 0; v < np; v++) start[v + 1] += start[v];
  const members = new Int32Array(np);
  const fill = start.slice(0, np);
  for (let k = 0; k < np; k++) members[fill[nearest[k]]++] = k;
  const pinfo: Int32Array[] = [];
  const patchVerts: number[] = [];
  for (let v = 0; v < np; v++) {
    if (start[v + 1] > start[v]) {
      pinfo.push(members.subarray(start[v], start[v + 1]));
      patchVerts.push(v);
    }
  }
  // MNE searches vertno in the patch vertices without the last one (searchsorted, side 'left').
  patchVerts.pop();
  const patchInds = new Int32Array(vertno.length);
  vertno.forEach((v, i) => {
    let lo = 0, hi = patchVerts.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (patchVerts[mid] < v) lo = mid + 1; else hi = mid; }
    patchInds[i] = lo;
  });
  return { pinfo, patchInds };
}
