/**
 * Which identifiers each system attaches to a person's records. A real company's systems each know a customer
 * by their own key, and identity resolution has to join them; these are those keys per touchpoint system.
 */

import type { CustomerIdentifiers } from '../records.js';
import type { DemoPerson } from './customer.js';

/** The identifier sets one person's records carry, by the system that wrote them. */
export interface PersonIds {
  /** CRM-driven records (relationship NPS): CRM id and the clean email. */
  crm: CustomerIdentifiers;
  /** Web shop orders and logged-in sessions: shop account id and the email as typed there; guests only email. */
  shop: CustomerIdentifiers;
  /** The shop account alone, as a logged-in session knows it; undefined for people without an account. */
  shopAccount: CustomerIdentifiers | undefined;
  /** Store tills: the loyalty card and the phone on it, else the email for the e-receipt. */
  store: CustomerIdentifiers;
  /** Contact centre: caller id (`+447712345678`) and the CRM id the agent looks up. */
  phone: CustomerIdentifiers;
  /** Email-driven systems (newsletter, survey tool, review sites, support inbox): just the email. */
  email: CustomerIdentifiers;
}

/** Builds the identifier sets once per person; records copy them, so sharing the objects here is safe. */
export function personIds(person: DemoPerson): PersonIds {
  const email = { email: person.email };
  const shopAccount = person.shop ? { source: 'shop', customerId: person.shop.customerId } : undefined;
  return {
    crm: { source: 'crm', customerId: person.crm.customerId, email: person.email },
    shop: person.shop ? { source: 'shop', customerId: person.shop.customerId, email: person.shop.email } : email,
    shopAccount,
    store: person.loyalty
      ? { source: 'loyalty', customerId: person.loyalty.customerId, phone: person.loyalty.phone }
      : email,
    phone: { source: 'crm', customerId: person.crm.customerId, phone: person.callerId },
    email,
  };
}
