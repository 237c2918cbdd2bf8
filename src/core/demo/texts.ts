/**
 * Templated free text: review texts, survey comments, social posts and ticket messages. Sentences are combined
 * from parts so texts vary, and every template is chosen by score so the sentiment of a text always agrees
 * with the score next to it (1–2 negative, 3 mixed, 4–5 positive).
 */

import type { Rng } from './prng.js';

type Tone = 'negative' | 'mixed' | 'positive';

/** The tone that goes with a 1–5 score. */
export function toneOf(score: number): Tone {
  if (score <= 2) return 'negative';
  return score === 3 ? 'mixed' : 'positive';
}

const REVIEW_OPENERS: Record<Tone, readonly string[]> = {
  positive: [
    'Love the {p}.',
    'Really pleased with the {p}.',
    'Brilliant {p}, exactly as pictured.',
    'The {p} is gorgeous.',
    'Great {p} for the price.',
  ],
  mixed: ['The {p} is okay.', 'Decent {p}, but not perfect.', 'The {p} does the job.', 'Mixed feelings about the {p}.'],
  negative: [
    'Disappointed with the {p}.',
    'The {p} is poor quality.',
    'Would not buy the {p} again.',
    'The {p} looks nothing like the photos.',
  ],
};
const REVIEW_DETAILS: Record<Tone, readonly string[]> = {
  positive: [
    'Arrived quickly and well packed.',
    'Feels solid and well made.',
    'Looks even better in our living room.',
    'Easy to assemble.',
    'Colour is spot on.',
  ],
  mixed: [
    'Colour is a bit darker than expected.',
    'Delivery took longer than promised.',
    'Smaller than I imagined.',
    'Fine for now, we will see how it lasts.',
  ],
  negative: [
    'Arrived damaged.',
    'Took over a week to arrive.',
    'Started fraying after one wash.',
    'Missing parts and no instructions.',
    'Returning it.',
  ],
};
const REVIEW_CLOSERS: Record<Tone, readonly string[]> = {
  positive: ['Would recommend.', 'Will order again.', '', 'Five stars from me.'],
  mixed: ['', 'Three stars.', 'Might keep it.'],
  negative: ['', 'Avoid.', 'Very frustrating.'],
};

/** A short product review consistent with `stars`. */
export function reviewText(rng: Rng, stars: number, product: string): string {
  const tone = toneOf(stars);
  const parts = [rng.pick(REVIEW_OPENERS[tone]).replace('{p}', product), rng.pick(REVIEW_DETAILS[tone])];
  const closer = rng.pick(REVIEW_CLOSERS[tone]);
  if (closer) parts.push(closer);
  return parts.join(' ');
}

const COMMENTS: Record<'delivery' | 'purchase' | 'support', Record<Tone, readonly string[]>> = {
  delivery: {
    positive: ['Driver was friendly and on time.', 'Arrived a day early!', 'Tracking was spot on.', 'Smooth delivery.'],
    mixed: [
      'Arrived on the last day of the window.',
      'Tracking updates were a bit vague.',
      'Left with a neighbour without telling me.',
    ],
    negative: [
      'Parcel arrived days late.',
      'Delivery slot was missed twice.',
      'Box was crushed.',
      'No updates, had to chase.',
    ],
  },
  purchase: {
    positive: [
      'Checkout was quick.',
      'Easy to find what I wanted.',
      'Staff were really helpful.',
      'Great choice and prices.',
    ],
    mixed: ['Website was slow at checkout.', 'Had to search a while.', 'Fine, nothing special.'],
    negative: ['Payment failed twice.', 'Prices went up at checkout.', 'Nobody around to help in store.'],
  },
  support: {
    positive: ['Sorted in one go.', 'Agent was lovely.', 'Quick and helpful.'],
    mixed: ['Got there in the end.', 'Took a couple of messages.'],
    negative: ['Waited ages for a reply.', 'Had to explain it three times.', 'Still not resolved.'],
  },
};

/** A survey comment about `about`, consistent with a 1–5 score. */
export function comment(rng: Rng, about: keyof typeof COMMENTS, score: number): string {
  return rng.pick(COMMENTS[about][toneOf(score)]);
}

const SOCIAL: Record<Tone, readonly string[]> = {
  positive: [
    'Shout out to @NorthwindHome, new lamp looks amazing',
    'Lovely service at @NorthwindHome today',
    '@NorthwindHome never disappoints',
  ],
  mixed: ['@NorthwindHome nice stuff but delivery could be quicker', 'Bit of a wait but got there @NorthwindHome'],
  negative: [
    '@NorthwindHome still waiting for my refund',
    '@NorthwindHome where is my order??',
    'Worst delivery experience ever @NorthwindHome',
  ],
};

/** A social media post mentioning the company, with the tone of a 1–5 score. */
export function socialPost(rng: Rng, score: number): string {
  return rng.pick(SOCIAL[toneOf(score)]);
}

/** What each kind of ticket is about: subject lines and the customer's first message. */
export const TICKET_TEXTS = {
  'where-is-my-order': {
    subjects: ['Where is my order?', 'Order not arrived', 'Delivery late'],
    bodies: ['My order {o} was due yesterday and tracking has not moved.', 'Still waiting for {o}, can you check?'],
  },
  'damaged-item': {
    subjects: ['Item arrived damaged', 'Broken on arrival'],
    bodies: ['Order {o} arrived with a crack in it.', 'The box for {o} was crushed and the item is damaged.'],
  },
  'refund-status': {
    subjects: ['Where is my refund?', 'Refund not received'],
    bodies: [
      'I returned {o} days ago and still have no refund.',
      'The store took my return for {o}, when will I be refunded?',
    ],
  },
  'account-access': {
    subjects: ['Cannot log in', 'Password reset not arriving'],
    bodies: ['The reset email never arrives.', 'My account says my email is not recognised.'],
  },
  'product-question': {
    subjects: ['Question about a product', 'Is this back in stock?', 'Dimensions?'],
    bodies: ['Does the oak side table come in a darker finish?', 'What are the exact dimensions of the jute rug?'],
  },
  'store-complaint': {
    subjects: ['Complaint about store visit', 'Poor service in store'],
    bodies: ['Nobody could help me at the till.', 'The item shown online was not in store.'],
  },
  'billing-query': {
    subjects: ['Charged twice', 'Question about my invoice'],
    bodies: ['I was charged twice for one order.', 'The amount on my statement does not match my receipt.'],
  },
} as const;
export type TicketReason = keyof typeof TICKET_TEXTS;

/** Agent replies: first answer, follow-up and the closing message. */
export const AGENT_REPLIES = {
  first: ['Thanks for getting in touch, I am looking into this now.', 'Sorry to hear that, let me check for you.'],
  followUp: ['Could you confirm your postcode for me?', 'I have raised this with the team, I will update you shortly.'],
  closing: ['All sorted, is there anything else I can help with?', 'This is now resolved, thanks for your patience.'],
} as const;

/** Customer follow-ups inside a ticket. */
export const CUSTOMER_REPLIES = [
  'Thanks, that is SW1A 1AA.',
  'Any update?',
  'Great, thank you.',
  'OK, thanks.',
] as const;

/** What the chat bot says before an agent joins. Bot messages are not agent replies. */
export const BOT_GREETING = "Hi, I'm Nori, Northwind's assistant. An agent will join shortly.";
