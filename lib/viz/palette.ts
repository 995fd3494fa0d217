/** Dipole k's colour in every figure (vega's tableau10, given explicitly so the PNG slices and the 3-D view match the SVG legends). */
export const DIPOLE_HEX = ['#4c78a8', '#f58518', '#e45756', '#72b7b2', '#54a24b', '#eeca3b', '#b279a2', '#ff9da6', '#9d755d', '#bab0ac'];

export function dipoleRgb(k: number): [number, number, number] {
  const h = DIPOLE_HEX[k % DIPOLE_HEX.length];
  return [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16)) as [number, number, number];
}

/** The colour scale of the dipole legend: dipole k gets DIPOLE_HEX[k]. */
export function dipoleColourScale(n: number) {
  return { range: Array.from({ length: n }, (_, k) => DIPOLE_HEX[k % DIPOLE_HEX.length]) };
}
