/** The part of jStat (https://github.com/jstat/jstat) the analysis uses; the package ships no types. */
declare module 'jstat' {
  interface JStat {
    readonly beta: {
      /** P(X ≤ x) for X ~ Beta(alpha, beta). */
      cdf(x: number, alpha: number, beta: number): number;
    };
    readonly binomial: {
      /** P(X ≤ k) for X ~ Binomial(n, p), rounded to 1e-10. */
      cdf(k: number, n: number, p: number): number;
    };
  }
  const jStat: JStat;
  export default jStat;
}
