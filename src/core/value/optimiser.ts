/**
 * Unconstrained minimisers for the maximum-likelihood fits: BFGS (quasi-Newton, analytic or numeric gradient)
 * with a Nelder–Mead fallback. Models optimise log-parameters, so positivity bounds never need a constrained
 * method, and they minimise the *mean* negative log-likelihood, so one gradient tolerance suits any data size.
 *
 * Written here rather than taken from npm: `fmin` (the only maintained-looking candidate) has had no release
 * since 2016, allocates arrays on every step and has no line search that guarantees the BFGS curvature condition,
 * which made it several times slower than the 40 ms scipy takes for BG/NBD on CDNOW.
 */

/**
 * An objective: returns f(x) and, when `grad` is given, writes ∇f(x) into it. Returns NaN or +∞ outside the
 * domain; the line search then backs off.
 */
export type Objective = (x: Float64Array, grad?: Float64Array) => number;

export interface MinimiseOptions {
  /** Stop when every gradient component is below this. @default 1e-9 */
  gradientTolerance?: number;
  /** @default 500 */
  maxIterations?: number;
  /** Largest step (in the optimiser's coordinates) a line search may try, to keep exp(log-parameter) finite. @default 5 */
  maxStep?: number;
  /**
   * Whether the gradient is cheap next to the value (analytic): then line-search trials compute both at once.
   * With a numeric gradient, trials evaluate the value only and the gradient is taken at the accepted point.
   * @default true
   */
  cheapGradient?: boolean;
}

export interface MinimiseResult {
  x: Float64Array;
  value: number;
  iterations: number;
  evaluations: number;
  converged: boolean;
  method: 'bfgs' | 'nelder-mead';
}

/**
 * Central-difference gradient: for likelihoods whose derivatives have no tidy closed form (Pareto/NBD through
 * ₂F₁, BG/BB). 2n evaluations; the step is scaled to each coordinate so the truncation and rounding errors
 * balance (≈ ε^(1/3)).
 */
export function withNumericGradient(f: (x: Float64Array) => number): Objective {
  return (x, grad) => {
    const fx = f(x);
    if (grad) {
      const probe = Float64Array.from(x);
      for (let i = 0; i < x.length; i++) {
        const h = 6e-6 * Math.max(1, Math.abs(x[i]!));
        probe[i] = x[i]! + h;
        const up = f(probe);
        probe[i] = x[i]! - h;
        const down = f(probe);
        probe[i] = x[i]!;
        grad[i] = (up - down) / (2 * h);
      }
    }
    return fx;
  };
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
}

/**
 * BFGS on the inverse Hessian with a backtracking Armijo line search (quadratic interpolation). Updates that
 * would break positive definiteness (sᵀy ≤ 0, possible without a full Wolfe search) are skipped, and the
 * first step scales the identity by sᵀy/yᵀy (Nocedal & Wright, eq. 6.20) so the model's units don't matter.
 */
export function minimiseBfgs(f: Objective, start: ArrayLike<number>, opts: MinimiseOptions = {}): MinimiseResult {
  const n = start.length;
  const gtol = opts.gradientTolerance ?? 1e-9;
  const maxIter = opts.maxIterations ?? 500;
  const maxStep = opts.maxStep ?? 5;
  const cheapGradient = opts.cheapGradient ?? true;
  const x = Float64Array.from(start);
  const g = new Float64Array(n);
  const xNew = new Float64Array(n);
  const gNew = new Float64Array(n);
  const dir = new Float64Array(n);
  const s = new Float64Array(n);
  const y = new Float64Array(n);
  const hy = new Float64Array(n);
  const H = new Float64Array(n * n);
  for (let i = 0; i < n; i++) H[i * n + i] = 1;
  let fx = f(x, g);
  let evaluations = 1;
  if (!Number.isFinite(fx)) return { x, value: fx, iterations: 0, evaluations, converged: false, method: 'bfgs' };
  let iter = 0;
  let stalled = 0;
  for (; iter < maxIter; iter++) {
    if (maxAbs(g) < gtol) return { x, value: fx, iterations: iter, evaluations, converged: true, method: 'bfgs' };
    for (let i = 0; i < n; i++) {
      let d = 0;
      for (let j = 0; j < n; j++) d -= H[i * n + j]! * g[j]!;
      dir[i] = d;
    }
    let slope = dot(dir, g);
    if (!(slope < 0)) {
      // Not a descent direction (H lost positive definiteness numerically): restart from steepest descent.
      H.fill(0);
      for (let i = 0; i < n; i++) {
        H[i * n + i] = 1;
        dir[i] = -g[i]!;
      }
      slope = dot(dir, g);
    }
    const norm = Math.sqrt(dot(dir, dir));
    let step = norm > maxStep ? maxStep / norm : 1;
    let fNew = NaN;
    let accepted = false;
    for (let k = 0; k < 60; k++) {
      for (let i = 0; i < n; i++) xNew[i] = x[i]! + step * dir[i]!;
      fNew = cheapGradient ? f(xNew, gNew) : f(xNew);
      evaluations++;
      if (Number.isFinite(fNew) && fNew <= fx + 1e-4 * step * slope) {
        accepted = true;
        if (!cheapGradient) f(xNew, gNew);
        break;
      }
      // Minimum of the quadratic through f(0), f'(0) and f(step), kept within [0.1, 0.5] of the step.
      const quad = Number.isFinite(fNew) ? (-slope * step * step) / (2 * (fNew - fx - slope * step)) : 0.1 * step;
      step = Math.min(0.5 * step, Math.max(0.1 * step, quad));
    }
    if (!accepted) break;
    for (let i = 0; i < n; i++) {
      s[i] = xNew[i]! - x[i]!;
      y[i] = gNew[i]! - g[i]!;
    }
    const improvement = fx - fNew;
    x.set(xNew);
    g.set(gNew);
    fx = fNew;
    stalled = improvement <= 1e-15 * Math.max(1, Math.abs(fx)) ? stalled + 1 : 0;
    if (stalled >= 3) break;
    const sy = dot(s, y);
    if (sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
      if (iter === 0) {
        const scale = sy / dot(y, y);
        for (let i = 0; i < n * n; i++) H[i] = H[i]! * scale;
      }
      for (let i = 0; i < n; i++) {
        let v = 0;
        for (let j = 0; j < n; j++) v += H[i * n + j]! * y[j]!;
        hy[i] = v;
      }
      const yhy = dot(y, hy);
      const rho = 1 / sy;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          H[i * n + j] = H[i * n + j]! - rho * (hy[i]! * s[j]! + s[i]! * hy[j]!) + (rho * rho * yhy + rho) * s[i]! * s[j]!;
        }
      }
    }
  }
  return { x, value: fx, iterations: iter, evaluations, converged: maxAbs(g) < gtol * 100, method: 'bfgs' };
}

/** Nelder–Mead simplex (standard coefficients); slow but needs no gradient and survives rough surfaces. */
export function minimiseNelderMead(f: (x: Float64Array) => number, start: ArrayLike<number>, opts: { maxIterations?: number; tolerance?: number } = {}): MinimiseResult {
  const n = start.length;
  const maxIter = opts.maxIterations ?? 4000;
  const tol = opts.tolerance ?? 1e-12;
  const value = (x: Float64Array) => {
    const v = f(x);
    return Number.isFinite(v) ? v : Infinity;
  };
  const pts: Float64Array[] = [Float64Array.from(start)];
  for (let i = 0; i < n; i++) {
    const p = Float64Array.from(start);
    p[i] = p[i]! + (Math.abs(p[i]!) > 1e-3 ? 0.25 * Math.abs(p[i]!) : 0.25);
    pts.push(p);
  }
  const vals = pts.map(value);
  let evaluations = n + 1;
  const centroid = new Float64Array(n);
  const trial = (w: number, worst: Float64Array) => {
    const p = new Float64Array(n);
    for (let j = 0; j < n; j++) p[j] = centroid[j]! + w * (worst[j]! - centroid[j]!);
    return p;
  };
  let iter = 0;
  for (; iter < maxIter; iter++) {
    const order = vals.map((_, i) => i).sort((a, b) => vals[a]! - vals[b]!);
    const sortedPts = order.map((i) => pts[i]!);
    const sortedVals = order.map((i) => vals[i]!);
    pts.splice(0, pts.length, ...sortedPts);
    vals.splice(0, vals.length, ...sortedVals);
    if (Math.abs(vals[n]! - vals[0]!) <= tol * (Math.abs(vals[0]!) + tol)) break;
    centroid.fill(0);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) centroid[j] = centroid[j]! + pts[i]![j]! / n;
    const worst = pts[n]!;
    const reflected = trial(-1, worst);
    const fr = value(reflected);
    evaluations++;
    if (fr < vals[0]!) {
      const expanded = trial(-2, worst);
      const fe = value(expanded);
      evaluations++;
      if (fe < fr) [pts[n], vals[n]] = [expanded, fe];
      else [pts[n], vals[n]] = [reflected, fr];
    } else if (fr < vals[n - 1]!) {
      [pts[n], vals[n]] = [reflected, fr];
    } else {
      const contracted = fr < vals[n]! ? trial(-0.5, worst) : trial(0.5, worst);
      const fc = value(contracted);
      evaluations++;
      if (fc < Math.min(fr, vals[n]!)) {
        [pts[n], vals[n]] = [contracted, fc];
      } else {
        for (let i = 1; i <= n; i++) {
          for (let j = 0; j < n; j++) pts[i]![j] = pts[0]![j]! + 0.5 * (pts[i]![j]! - pts[0]![j]!);
          vals[i] = value(pts[i]!);
          evaluations++;
        }
      }
    }
  }
  let best = 0;
  for (let i = 1; i <= n; i++) if (vals[i]! < vals[best]!) best = i;
  return { x: pts[best]!, value: vals[best]!, iterations: iter, evaluations, converged: iter < maxIter, method: 'nelder-mead' };
}

/**
 * BFGS from `start`; if it fails to converge, Nelder–Mead from the best point found, then BFGS again to polish.
 * Returns the best result either way (`converged` says whether the gradient test was finally met).
 */
export function minimise(f: Objective, start: ArrayLike<number>, opts: MinimiseOptions = {}): MinimiseResult {
  const first = minimiseBfgs(f, start, opts);
  if (first.converged) return first;
  const from = Number.isFinite(first.value) ? first.x : Float64Array.from(start);
  const simplex = minimiseNelderMead((x) => f(x), from);
  const polished = minimiseBfgs(f, simplex.x, opts);
  const best = [first, simplex, polished].filter((r) => Number.isFinite(r.value)).sort((a, b) => a.value - b.value)[0] ?? polished;
  return { ...best, evaluations: first.evaluations + simplex.evaluations + polished.evaluations, converged: polished.converged };
}
