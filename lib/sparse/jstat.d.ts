// Types for jstat 1.9 (jstat/jstat), which ships none: the χ² functions the dipole pruning uses.
declare module 'jstat' {
  const jStat: {
    chisquare: {
      /** The quantile (inverse CDF) at probability p of a χ² with dof degrees of freedom. */
      inv(p: number, dof: number): number;
      /** P(χ²_dof ≤ x). */
      cdf(x: number, dof: number): number;
    };
  };
  export default jStat;
}
