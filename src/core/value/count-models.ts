/**
 * One interface over the three purchase-count models, so the CLI, the validation report and scoring can treat
 * them alike and pick one by name.
 */
import { bgNbdConditionalExpected, bgNbdExpected, bgNbdProbabilityAlive, bgNbdProbabilityOfCount, fitBgNbd, type BgNbdParams } from './bg-nbd.js';
import { fitMbgNbd, mbgNbdConditionalExpected, mbgNbdExpected, mbgNbdProbabilityAlive, mbgNbdProbabilityOfCount } from './mbg-nbd.js';
import { fitParetoNbd, paretoNbdConditionalExpected, paretoNbdExpected, paretoNbdProbabilityAlive, type ParetoNbdParams } from './pareto-nbd.js';
import type { RfmData } from './rfm-data.js';

export const COUNT_MODELS = ['bgnbd', 'mbgnbd', 'paretonbd'] as const;
export type CountModelName = (typeof COUNT_MODELS)[number];

export interface CountModel {
  model: CountModelName;
  params: Readonly<Record<string, number>>;
  /** P(alive at T | x, tₓ, T). */
  probabilityAlive(x: number, tx: number, T: number): number;
  /** E[X(t)] for a customer just acquired. */
  expected(t: number): number;
  /** E[Y(t) | x, tₓ, T]: expected purchases in the next t time units. */
  conditionalExpected(t: number, x: number, tx: number, T: number): number;
  /** P(X(t) = n) for a customer just acquired, where the model has a closed form (BG/NBD, MBG/NBD). */
  probabilityOfCount?: ((n: number, t: number) => number) | undefined;
}

export interface FittedCountModel extends CountModel {
  logLikelihood: number;
  n: number;
  iterations: number;
  converged: boolean;
  /** Parameters that ended on the fit's box (the likelihood keeps rising towards it). */
  atBound: string[];
}

/** A model with known parameters (published, or stored from an earlier fit). */
export function countModel(model: CountModelName, params: Readonly<Record<string, number>>): CountModel {
  const need = (name: string) => {
    const v = params[name];
    if (!(typeof v === 'number' && v > 0)) throw new Error(`${model}: parameter ${name} must be a positive number`);
    return v;
  };
  switch (model) {
    case 'bgnbd':
    case 'mbgnbd': {
      const p: BgNbdParams = { r: need('r'), alpha: need('alpha'), a: need('a'), b: need('b') };
      const bg = model === 'bgnbd';
      return {
        model,
        params: { ...p },
        probabilityAlive: (x, tx, T) => (bg ? bgNbdProbabilityAlive(p, x, tx, T) : mbgNbdProbabilityAlive(p, x, tx, T)),
        expected: (t) => (bg ? bgNbdExpected(p, t) : mbgNbdExpected(p, t)),
        conditionalExpected: (t, x, tx, T) => (bg ? bgNbdConditionalExpected(p, t, x, tx, T) : mbgNbdConditionalExpected(p, t, x, tx, T)),
        probabilityOfCount: (n, t) => (bg ? bgNbdProbabilityOfCount(p, n, t) : mbgNbdProbabilityOfCount(p, n, t)),
      };
    }
    case 'paretonbd': {
      const p: ParetoNbdParams = { r: need('r'), alpha: need('alpha'), s: need('s'), beta: need('beta') };
      return {
        model,
        params: { ...p },
        probabilityAlive: (x, tx, T) => paretoNbdProbabilityAlive(p, x, tx, T),
        expected: (t) => paretoNbdExpected(p, t),
        conditionalExpected: (t, x, tx, T) => paretoNbdConditionalExpected(p, t, x, tx, T),
      };
    }
  }
}

/** Fits the named model by maximum likelihood. */
export function fitCountModel(model: CountModelName, data: RfmData): FittedCountModel {
  const fit = model === 'bgnbd' ? fitBgNbd(data) : model === 'mbgnbd' ? fitMbgNbd(data) : fitParetoNbd(data);
  const params = fit.params as unknown as Record<string, number>;
  return { ...countModel(model, params), logLikelihood: fit.logLikelihood, n: fit.n, iterations: fit.iterations, converged: fit.converged, atBound: fit.atBound };
}
