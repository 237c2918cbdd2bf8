/**
 * Activity that is not an order by itself: web and app sessions (which may end in a purchase), newsletter
 * opens and store visits. Sessions start anonymous (device `anonymousId` only) unless the device remembers the
 * login; a `login` event carries the device id together with the shop account and email, which is the
 * identity link that lets anonymous browsing be attributed to the customer.
 */

import { MINUTE_MS, DAY_MS, HOUR_MS, atLocalTime } from './calendar.js';
import { SEARCH_QUERIES } from './catalogue.js';
import type { Category } from './catalogue.js';
import { CATALOGUE, CATEGORIES } from './catalogue.js';
import type { Device } from './customer.js';
import type { PersonIds } from './identities.js';
import type { LifeBuilder } from './life.js';
import type { Rng } from './prng.js';
import type { CustomerIdentifiers } from '../records.js';

/** Share of sessions that start already logged in (remembered device). */
const REMEMBERED_LOGIN = 0.55;

/** The purchase a session ends in, if any. */
export interface SessionPurchase {
  orderId: string;
  amount: number;
  product: string;
  category: Category;
}

/**
 * One web or app session on `device` starting at `start`. With `purchase`, it walks the purchase journey and
 * returns the time of `checkout_completed` (the order time); otherwise it is browsing and returns its end.
 */
export function webSession(
  b: LifeBuilder,
  rng: Rng,
  ids: PersonIds,
  device: Device,
  start: number,
  purchase?: SessionPurchase,
): number {
  const channel = device.channel;
  const anonymous: CustomerIdentifiers = { anonymousId: device.anonymousId };
  const account = ids.shopAccount;
  let loggedIn = account !== undefined && rng.chance(REMEMBERED_LOGIN);
  let current: CustomerIdentifiers = loggedIn && account !== undefined ? withDevice(device, account) : anonymous;
  let t = start;
  const category = purchase ? purchase.category : rng.pick(CATEGORIES);
  const product = purchase ? purchase.product : rng.pick(CATALOGUE[category]);

  const landing = rng.chance(0.6) ? 'homepage' : 'product-page';
  const landingProps = landing === 'homepage' ? undefined : { product, category };
  b.event(current, t, 'page_view', { channel, touchpoint: landing, properties: landingProps });
  if (rng.chance(0.45)) {
    t += clickGap(rng);
    // Most searches name what the person ends up looking at ("lamp"); some are generic ("sale").
    const query = rng.chance(0.6) ? lastWord(product) : rng.pick(SEARCH_QUERIES);
    b.event(current, t, 'search', { channel, touchpoint: 'search', properties: { query } });
  }
  const productViews = 1 + rng.poisson(purchase ? 0.6 : 0.8);
  for (let i = 0; i < productViews; i++) {
    const viewed = i === productViews - 1 ? product : rng.pick(CATALOGUE[category]);
    t += clickGap(rng);
    b.event(current, t, 'page_view', {
      channel,
      touchpoint: 'product-page',
      properties: { product: viewed, category },
    });
  }

  if (!purchase) {
    if (rng.chance(0.15)) {
      t += clickGap(rng);
      b.event(current, t, 'add_to_cart', { channel, touchpoint: 'basket', properties: { product, category } });
    }
    if (account !== undefined && !loggedIn && rng.chance(0.2)) {
      t += clickGap(rng);
      b.event(loginIdentifiers(device, ids), t, 'login', { channel, touchpoint: 'account' });
    }
    return t;
  }

  const orderId = purchase.orderId;
  t += clickGap(rng);
  b.event(current, t, 'add_to_cart', {
    channel,
    touchpoint: 'basket',
    value: purchase.amount,
    properties: { journey: 'purchase', step: 'add_to_cart', order_id: orderId, product, category },
  });
  if (account !== undefined && !loggedIn) {
    // Logging in to check out: the identity link between this device and the account.
    t += clickGap(rng);
    b.event(loginIdentifiers(device, ids), t, 'login', { channel, touchpoint: 'account' });
    current = withDevice(device, account);
    loggedIn = true;
  }
  t += clickGap(rng);
  b.event(current, t, 'checkout_started', {
    channel,
    touchpoint: 'checkout',
    value: purchase.amount,
    properties: { journey: 'purchase', step: 'checkout_started', order_id: orderId },
  });
  // Guests check out with an email address, which links this device to them.
  t += clickGap(rng);
  b.event(loggedIn ? current : { anonymousId: device.anonymousId, email: ids.email.email }, t, 'checkout_completed', {
    channel,
    touchpoint: 'checkout',
    value: purchase.amount,
    properties: { journey: 'purchase', step: 'checkout_completed', order_id: orderId },
  });
  return t;
}

function lastWord(text: string): string {
  return text.slice(text.lastIndexOf(' ') + 1);
}

/** Time between two clicks in a session: a few seconds to a few minutes. */
function clickGap(rng: Rng): number {
  return 5_000 + Math.floor(rng.exponential(40_000));
}

function withDevice(device: Device, account: CustomerIdentifiers): CustomerIdentifiers {
  return { anonymousId: device.anonymousId, source: account.source, customerId: account.customerId };
}

/** A login carries the device, the account and the email as typed in the shop. */
function loginIdentifiers(device: Device, ids: PersonIds): CustomerIdentifiers {
  return {
    anonymousId: device.anonymousId,
    source: ids.shop.source,
    customerId: ids.shop.customerId,
    email: ids.shop.email,
  };
}

/** Browsing sessions without a purchase, spread over the person's active period. */
export function browsingSessions(b: LifeBuilder, rng: Rng, ids: PersonIds, activeUntil: number): void {
  const { person, window } = b;
  const months = Math.max(0, (activeUntil - person.activeFrom) / (30.4375 * DAY_MS));
  const count = rng.poisson(rng.gamma(1.5, 0.065) * months);
  for (let i = 0; i < count; i++) {
    const t = atLocalTime(rng, window, rng.uniform(person.activeFrom, activeUntil), 'online');
    webSession(b, rng, ids, rng.pick(person.devices), t);
  }
}

/** The monthly newsletter: sent on the 3rd at 09:00 UTC to opted-in customers; opens and clicks are events. */
export function newsletterActivity(b: LifeBuilder, rng: Rng, ids: PersonIds): void {
  const { person, window } = b;
  if (!person.marketingOptIn) return;
  const openRate = rng.beta(1.5, 4.5);
  for (let month = 0; month < window.months; month++) {
    const sentAt = window.monthStarts[month] + 2 * DAY_MS + 9 * HOUR_MS;
    if (sentAt < person.activeFrom || !rng.chance(openRate)) continue;
    const campaign = `newsletter-${month + 1}`;
    const openedAt = sentAt + Math.floor(rng.exponential(10 * HOUR_MS));
    b.event(ids.email, openedAt, 'email_opened', {
      channel: 'email',
      touchpoint: 'newsletter',
      properties: { campaign },
    });
    if (rng.chance(0.3)) {
      const clickedAt = openedAt + 10_000 + Math.floor(rng.exponential(2 * MINUTE_MS));
      b.event(ids.email, clickedAt, 'email_clicked', {
        channel: 'email',
        touchpoint: 'newsletter',
        properties: { campaign },
      });
    }
  }
}

/** Store visits without a purchase, seen only when the loyalty card is scanned. */
export function storeVisits(b: LifeBuilder, rng: Rng, ids: PersonIds, activeUntil: number): void {
  const { person, window } = b;
  if (!person.loyalty) return;
  const months = Math.max(0, (activeUntil - person.activeFrom) / (30.4375 * DAY_MS));
  const count = rng.poisson(0.08 * months);
  for (let i = 0; i < count; i++) {
    const t = atLocalTime(rng, window, rng.uniform(person.activeFrom, activeUntil), 'store');
    const store = rng.chance(0.8) ? person.homeStore : undefined;
    b.event(ids.store, t, 'store_visit', {
      channel: 'store',
      touchpoint: 'store-visit',
      team: 'store-ops',
      properties: store === undefined ? undefined : { store },
    });
  }
}
