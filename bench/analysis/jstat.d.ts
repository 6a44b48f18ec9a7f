/** The part of jStat (https://github.com/jstat/jstat) the simulation and the tests use; the package ships no types. */
declare module 'jstat' {
  interface JStat {
    /** The regularized lower incomplete gamma function P(a, x): P(X ≥ a) for X ~ Poisson(x). */
    lowRegGamma(a: number, x: number): number;
    /** Replaces Math.random in every sampler: the simulation seeds it. */
    setRandom(random: () => number): void;
    readonly beta: {
      /** A draw of Beta(alpha, beta). */
      sample(alpha: number, beta: number): number;
    };
    readonly poisson: {
      /** A draw of Poisson(mean). */
      sample(mean: number): number;
    };
    readonly lognormal: {
      /** P(X ≤ x) for log X ~ Normal(mu, sigma). */
      cdf(x: number, mu: number, sigma: number): number;
      /** The x with P(X ≤ x) = p. */
      inv(p: number, mu: number, sigma: number): number;
    };
  }
  const jStat: JStat;
  export default jStat;
}
