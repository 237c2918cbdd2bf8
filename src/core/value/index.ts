/**
 * Customer value: buy-till-you-die purchase models (BG/NBD, MBG/NBD, Pareto/NBD), Gamma-Gamma spend, BG/BB for
 * discrete opportunities, summaries from transactions, CLV and holdout validation; RFM, rule-based segments,
 * k-means personas, the silent-churn radar, revenue at risk and next-best-action rules. Pure functions, no I/O;
 * see docs/value-models.md.
 */
export * from './bg-bb.js';
export * from './bg-nbd.js';
export * from './clv.js';
export * from './count-models.js';
export * from './customer-features.js';
export * from './features.js';
export * from './gamma-gamma.js';
export * from './kmeans.js';
export * from './mbg-nbd.js';
export * from './next-best-action.js';
export * from './optimiser.js';
export * from './pareto-nbd.js';
export * from './personas.js';
export * from './revenue-at-risk.js';
export * from './rfm.js';
export * from './rfm-data.js';
export * from './rules.js';
export * from './silent-churn.js';
export * from './special-functions.js';
export * from './summary.js';
export * from './validation.js';
