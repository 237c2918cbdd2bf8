/**
 * The journeys Northwind Home has designed, seeded into the demo workspace so the Journeys page compares design
 * with reality on day one. Steps match the generator's journey events (src/core/demo/journeys.ts); owners are
 * the teams that handle them; targets are the company's own promises, not fitted to the data. One case is one
 * order (`properties.order_id`), so a customer's other orders do not interleave with the journey.
 */
import type { z } from 'zod';
import type { designedJourneySchema } from '../journeys/designed.js';

type JourneyInput = z.input<typeof designedJourneySchema>;

const team = (name: string) => ({ kind: 'team' as const, name });

export const DEMO_DESIGNED_JOURNEYS: readonly { id: string; definition: JourneyInput }[] = [
  {
    id: 'online-order',
    definition: {
      name: 'Online order to delivery',
      owner: 'Head of ecommerce',
      revenue_objective: { description: 'Orders delivered as promised, so customers buy again', amount: 3_200_000, currency: 'GBP' },
      case: { by: 'property', property: 'order_id' },
      window_days: 30,
      steps: [
        {
          name: 'Checkout completed',
          match: { type: 'checkout_completed' },
          owner: team('ecommerce'),
          success_measure: 'Checkout conversion ≥ 70 % of started checkouts',
          target_to_next: { value: 2, unit: 'days' },
        },
        {
          name: 'Dispatched',
          match: { type: 'delivery_dispatched' },
          owner: team('fulfilment'),
          success_measure: 'Dispatched within 2 days of the order',
          target_to_next: { value: 3, unit: 'days' },
        },
        {
          name: 'Delivered',
          match: { type: 'delivery_delivered' },
          owner: team('fulfilment'),
          success_measure: 'Delivery CSAT ≥ 4.2',
        },
      ],
    },
  },
  {
    id: 'returns',
    definition: {
      name: 'Returns and refunds',
      owner: 'Head of customer service',
      revenue_objective: { description: 'Refund fast so returners keep buying', amount: 250_000, currency: 'GBP' },
      case: { by: 'property', property: 'order_id' },
      window_days: 60,
      steps: [
        {
          name: 'Return requested',
          match: { type: 'return_requested' },
          owner: team('web-support'),
          success_measure: 'Every request answered the same day',
          target_to_next: { value: 4, unit: 'hours' },
        },
        {
          name: 'Return approved',
          match: { type: 'return_approved' },
          owner: team('web-support'),
          success_measure: 'Approval email opened',
          target_to_next: { value: 3, unit: 'days' },
        },
        {
          name: 'Dropped off',
          match: { type: 'return_dropped_off', channel: 'store' },
          owner: team('store-ops'),
          success_measure: 'Parcel booked in at the store',
          target_to_next: { value: 1, unit: 'days' },
        },
        {
          name: 'Return received',
          match: { type: 'return_received' },
          owner: team('store-ops'),
          success_measure: 'Refund triggered within 2 days of receipt',
          target_to_next: { value: 2, unit: 'days' },
        },
        {
          name: 'Refund issued',
          match: { type: 'refund_issued' },
          owner: team('billing'),
          success_measure: 'No "where is my refund?" contacts',
        },
      ],
    },
  },
];
