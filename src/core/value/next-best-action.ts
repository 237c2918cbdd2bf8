/**
 * Next-best-action: an ordered, editable rule set proposing one action per customer. The first enabled rule whose
 * condition matches wins; its reason template is filled with the customer's own figures, so every proposal says
 * why. Rules are JSON (stored per workspace; {@link DEFAULT_NBA_RULES} until a workspace saves its own).
 */
import { z } from 'zod';
import type { CustomerFeatures } from './features.js';
import { conditionSchema, describeCondition, fillTemplate, matches, type Condition } from './rules.js';

export interface NbaRule {
  id: string;
  action: string;
  when: Condition;
  /** Explanation with `{field}` placeholders, e.g. "CLV {clv} and a missed reply target". */
  reason: string;
  enabled: boolean;
}

export interface NbaRuleSet {
  rules: NbaRule[];
}

export const nbaRuleSetSchema = z
  .object({
    rules: z
      .array(
        z
          .object({
            id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/),
            action: z.string().min(1).max(200),
            when: conditionSchema,
            reason: z.string().min(1).max(500),
            enabled: z.boolean().default(true),
          })
          .strict(),
      )
      .max(100)
      .refine((rules) => new Set(rules.map((r) => r.id)).size === rules.length, { message: 'rule ids must be unique' }),
  })
  .strict();

export const DEFAULT_NBA_RULES: NbaRuleSet = {
  rules: [
    {
      id: 'apology-and-credit',
      action: 'Personal apology and credit',
      when: {
        all: [
          { field: 'clvPercentile', op: '>=', value: 80 },
          { field: 'serviceFailure', op: '=', value: true },
        ],
      },
      reason: 'Top-20 % CLV ({clv}) and a recent service failure ({missedReplyTargets} missed reply targets, latest NPS {latestNps})',
      enabled: true,
    },
    {
      id: 'owner-outreach',
      action: 'Proactive outreach from the account owner',
      when: { field: 'silentChurn', op: '=', value: true },
      reason: 'Satisfied (latest NPS {latestNps}, CSAT {latestCsat}) but buying less: {recentOrders} recent orders, P(alive) {pAlive}, CLV {clv}',
      enabled: true,
    },
    {
      id: 'detractor-callback',
      action: 'Callback from a senior agent',
      when: {
        all: [
          { field: 'detractor', op: '=', value: true },
          { field: 'latestCes', op: '<=', value: 3 },
        ],
      },
      reason: 'Detractor (NPS {latestNps}) who found dealing with us hard (CES {latestCes} of 7)',
      enabled: true,
    },
    {
      id: 'win-back',
      action: 'Win-back offer',
      when: {
        all: [
          { field: 'pAlive', op: '<', value: 0.3 },
          { field: 'orders', op: '>=', value: 3 },
        ],
      },
      reason: 'A regular ({orders} orders, {totalSpend} spent) who has probably left: P(alive) {pAlive}, last order {recencyDays} days ago',
      enabled: true,
    },
    {
      id: 'second-purchase',
      action: 'Second-purchase nudge',
      when: {
        all: [
          { field: 'orders', op: '=', value: 1 },
          { field: 'recencyDays', op: '<=', value: 60 },
        ],
      },
      reason: 'Bought once, {recencyDays} days ago: the second purchase is the one that makes a customer',
      enabled: true,
    },
  ],
};

export interface NbaProposal {
  ruleId: string;
  action: string;
  reason: string;
  /** The rule's condition in words. */
  rule: string;
}

/** The action the first matching enabled rule proposes, or null. */
export function proposeAction(f: CustomerFeatures, ruleSet: NbaRuleSet, currency: string | null): NbaProposal | null {
  const rule = firstMatchingRule(f, ruleSet);
  return rule ? { ruleId: rule.id, action: rule.action, reason: fillTemplate(rule.reason, f, currency), rule: describeCondition(rule.when) } : null;
}

/** The rule {@link proposeAction} would apply, without writing its sentences (for counting a whole base). */
export function firstMatchingRule(f: CustomerFeatures, ruleSet: NbaRuleSet): NbaRuleSet['rules'][number] | null {
  for (const rule of ruleSet.rules) if (rule.enabled && matches(rule.when, f)) return rule;
  return null;
}
