/**
 * Feedback: post-purchase and delivery CSAT (1–5), relationship NPS (0–10), CES after support (1–7, 7 = very
 * easy), post-chat ratings, product reviews with stars and text, complaint emails and social posts.
 *
 * Scores come from {@link ScoreScale} draws with an exact expected value; text is templated by score so its
 * sentiment always matches. Scores depend on the person's hidden happiness and on what happened (late
 * delivery, return, breached reply promise), except for the planted delivery trend, which is exact by design.
 */

import { DAY_MS, HOUR_MS } from './calendar.js';
import { DEMO_SURVEYS } from './company.js';
import type { DemoTouchpoint } from './company.js';
import type { PersonIds } from './identities.js';
import type { OrderOutcome } from './journeys.js';
import type { LifeBuilder } from './life.js';
import { DEMO_PATTERNS, deliveryCsatMean } from './patterns.js';
import type { Rng } from './prng.js';
import { CES, CSAT, HAPPY_CES, HAPPY_CSAT, HAPPY_NPS, NPS } from './scores.js';
import type { ScoreScale } from './scores.js';
import type { TicketOutcome } from './tickets.js';
import { comment, reviewText, socialPost } from './texts.js';

/** How often each kind of feedback is given. */
export const FEEDBACK_RATES = {
  /** Of orders. */
  postPurchaseCsat: 0.25,
  /** Of delivered orders. */
  deliveryCsat: 0.35,
  /** Of delivered orders. */
  review: 0.07,
  /** Of late deliveries: an angry email to customer service. */
  complaintEmail: 0.08,
  /** Of people, per quarterly wave they were already customers for. */
  npsResponse: 0.3,
  /** Of solved tickets. */
  ces: 0.4,
  /** Of solved chat tickets. */
  chatRating: 0.35,
  /** Of people, once in the window. */
  socialPost: 0.02,
  /** Of survey responses that include a comment. */
  comment: 0.3,
} as const;

const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));

const PURCHASE_TOUCHPOINT: Record<string, DemoTouchpoint> = {
  web: 'checkout',
  app: 'checkout',
  store: 'store-visit',
  phone: 'support-call',
};

/** A score from `scale`, or from `happyScale` for the silent-fade segment (whose scores stay good). */
function score(
  b: LifeBuilder,
  rng: Rng,
  scale: ScoreScale,
  happyScale: ScoreScale,
  happyMean: number,
  mean: number,
): number {
  return b.person.silentFade ? happyScale.draw(rng, happyMean) : scale.draw(rng, mean);
}

/** Surveys and reviews following an order. */
export function orderFeedback(b: LifeBuilder, rng: Rng, ids: PersonIds, o: OrderOutcome): void {
  const h = b.person.happiness;
  if (rng.chance(FEEDBACK_RATES.postPurchaseCsat)) {
    const csat = score(b, rng, CSAT, HAPPY_CSAT, 4.6, clamp(4.3 + 0.35 * h, 1.5, 4.9));
    b.addFeedback(ids.email, {
      occurredAt: o.orderedAt + Math.floor(rng.logNormal(3 * HOUR_MS, 0.8)),
      feedbackSource: 'survey',
      survey: DEMO_SURVEYS.postPurchase,
      csat,
      text: rng.chance(FEEDBACK_RATES.comment) ? comment(rng, 'purchase', csat) : undefined,
      touchpoint: PURCHASE_TOUCHPOINT[o.channel],
      channel: o.channel,
    });
  }
  if (o.deliveredAt === undefined) return;

  if (rng.chance(FEEDBACK_RATES.deliveryCsat)) {
    const at = o.deliveredAt + Math.floor(rng.logNormal(5 * HOUR_MS, 0.8));
    // Pattern 1: late deliveries score lower, but the shift is weighted by the late share so the mean stays
    // exactly deliveryCsatMean(t): E = p(μ − δ(1−p)) + (1−p)(μ + δp) = μ.
    const p = o.lateShare;
    const penalty = DEMO_PATTERNS.decliningTouchpoint.latePenalty;
    const mean = deliveryCsatMean(b.window, at) + (o.late ? -penalty * (1 - p) : penalty * p);
    const csat = score(b, rng, CSAT, HAPPY_CSAT, 4.6, mean);
    b.addFeedback(ids.email, {
      occurredAt: at,
      feedbackSource: 'survey',
      survey: DEMO_SURVEYS.delivery,
      csat,
      text: rng.chance(FEEDBACK_RATES.comment) ? comment(rng, 'delivery', csat) : undefined,
      touchpoint: 'delivery',
      channel: o.channel,
      team: 'fulfilment',
    });
  }
  if (rng.chance(FEEDBACK_RATES.review)) {
    const returned = o.returnReceivedAt !== undefined;
    const mean = clamp(4.2 + 0.4 * h - (o.late ? 1.4 : 0) - (returned ? 1.2 : 0), 1.1, 4.9);
    const stars = score(b, rng, CSAT, HAPPY_CSAT, 4.6, mean);
    const trustpilot = rng.chance(0.35);
    // Review sites know the email as the customer typed it, messy case and all.
    b.addFeedback(ids.shop.email !== undefined ? { email: ids.shop.email } : ids.email, {
      occurredAt: o.deliveredAt + HOUR_MS + Math.floor(rng.exponential(6 * DAY_MS)),
      feedbackSource: 'review',
      survey: trustpilot ? DEMO_SURVEYS.trustpilot : DEMO_SURVEYS.ownReviews,
      stars,
      text: reviewText(rng, stars, o.product),
      touchpoint: 'product-page',
      channel: 'web',
      properties: { product: o.product, order_id: o.orderId },
    });
  }
  if (o.late && o.delayedAt !== undefined && rng.chance(FEEDBACK_RATES.complaintEmail)) {
    b.addFeedback(ids.email, {
      occurredAt: o.delayedAt + Math.floor(rng.exponential(12 * HOUR_MS)),
      feedbackSource: 'email',
      text: `Order ${o.orderId}: ${comment(rng, 'delivery', 1)} Not happy.`,
      touchpoint: 'delivery',
      channel: 'email',
      team: 'fulfilment',
    });
  }
}

/** CES and post-chat ratings after a solved ticket; a breached reply promise makes both worse. */
export function ticketFeedback(b: LifeBuilder, rng: Rng, t: TicketOutcome): void {
  if (t.solvedAt === undefined) return;
  const h = b.person.happiness;
  const late = t.breached === true;
  const touchpoint: DemoTouchpoint | undefined =
    t.channel === 'chat'
      ? 'live-chat'
      : t.channel === 'phone'
        ? 'support-call'
        : t.channel === 'store'
          ? 'store-visit'
          : undefined;
  if (rng.chance(FEEDBACK_RATES.ces)) {
    const ces = score(b, rng, CES, HAPPY_CES, 6.2, clamp((late ? 3.9 : 5.7) + 0.3 * h, 1.5, 6.9));
    const tone = ces >= 5 ? 4 : ces === 4 ? 3 : 1;
    b.addFeedback(t.ids, {
      occurredAt: t.solvedAt + Math.floor(rng.logNormal(2 * HOUR_MS, 1)),
      feedbackSource: 'survey',
      survey: DEMO_SURVEYS.ces,
      ces,
      text: rng.chance(FEEDBACK_RATES.comment) ? comment(rng, 'support', tone) : undefined,
      touchpoint,
      channel: t.channel,
      team: t.team,
    });
  }
  if (t.channel === 'chat' && rng.chance(FEEDBACK_RATES.chatRating)) {
    const csat = score(b, rng, CSAT, HAPPY_CSAT, 4.6, clamp((late ? 2.9 : 4.4) + 0.2 * h, 1.5, 4.9));
    b.addFeedback(t.ids, {
      occurredAt: t.solvedAt + 10_000 + Math.floor(rng.exponential(60_000)),
      feedbackSource: 'chat',
      survey: DEMO_SURVEYS.chatRating,
      csat,
      touchpoint: 'live-chat',
      channel: 'chat',
      team: t.team,
    });
  }
}

/** Quarterly relationship NPS: waves on day 11 of months 1, 4, 7, 10 of the window, sent to known customers. */
export function relationshipNps(b: LifeBuilder, rng: Rng, ids: PersonIds): void {
  const { window, person } = b;
  for (let month = 0; month < window.months; month += 3) {
    const waveAt = window.monthStarts[month] + 10 * DAY_MS + 10 * HOUR_MS;
    if (person.createdAt >= waveAt || !rng.chance(FEEDBACK_RATES.npsResponse)) continue;
    const nps = score(b, rng, NPS, HAPPY_NPS, 8.8, clamp(7.4 + 1.6 * person.happiness, 0.5, 9.7));
    const tone = nps >= 9 ? 5 : nps >= 7 ? 3 : 1;
    b.addFeedback(ids.crm, {
      occurredAt: waveAt + Math.floor(rng.logNormal(DAY_MS, 1)),
      feedbackSource: 'survey',
      survey: DEMO_SURVEYS.nps,
      nps,
      text: rng.chance(FEEDBACK_RATES.comment) ? comment(rng, 'purchase', tone) : undefined,
    });
  }
}

/** An occasional social media post, known only by the person's handle. */
export function socialMentions(b: LifeBuilder, rng: Rng): void {
  if (!rng.chance(FEEDBACK_RATES.socialPost)) return;
  const { person, window } = b;
  const mood = b.person.silentFade ? 5 : clamp(Math.round(3 + 1.2 * person.happiness), 1, 5);
  const handle = `@${person.firstName.toLowerCase()}${person.lastName.toLowerCase().replace(/'/g, '')}${person.index + 1}`;
  b.addFeedback(
    { source: 'social', customerId: handle },
    {
      occurredAt: Math.floor(rng.uniform(person.activeFrom, window.endMs)),
      feedbackSource: 'social',
      text: socialPost(rng, mood),
      properties: { platform: 'x' },
    },
  );
}
