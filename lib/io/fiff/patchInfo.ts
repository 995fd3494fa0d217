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
  // below[v]: how many patch vertices are smaller than v.
  const below = new Int32Array(np);
  const pinfo: Int32Array[] = [];
  for (let v = 0; v < np; v++) {
    below[v] = pinfo.length;
    if (start[v + 1] > start[v]) pinfo.push(members.subarray(start[v], start[v + 1]));
  }
  // MNE: searchsorted(patch vertices without the last one, vertno, 'left'), which is the number of
  // patch vertices below v, at most all but the last.
  const last = Math.max(pinfo.length - 1, 0);
  const patchInds = new Int32Array(vertno.length);
  for (let i = 0; i < vertno.length; i++) patchInds[i] = Math.min(below[vertno[i]], last);
  return { pinfo, patchInds };
}
