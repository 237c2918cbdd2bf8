// Everything the left navigation offers. Capabilities that are not built yet link to an honest
// "not built yet" page that says what they will do.

export interface Capability {
  slug: string;
  label: string;
  built: boolean;
  /** One line on what the capability is for. */
  summary: string;
  /** What the page will show once built. */
  planned: string[];
}

export const CAPABILITIES: Capability[] = [
  {
    slug: 'overview',
    label: 'Overview',
    built: true,
    summary: 'Volumes and scores across every channel.',
    planned: [],
  },
  {
    slug: 'customers',
    label: 'Customers',
    built: true,
    summary: 'Find a customer and see their unified profile and timeline.',
    planned: [],
  },
  {
    slug: 'voice',
    label: 'Voice of the customer',
    built: false,
    summary: 'What customers say, across surveys, reviews, tickets and chats.',
    planned: [
      'Feedback themes and sentiment over time',
      'NPS, CSAT and CES broken down by channel, touchpoint and team',
      'Verbatims linked back to the customer profile',
    ],
  },
  {
    slug: 'promises',
    label: 'Promises',
    built: false,
    summary: 'The commitments made to customers (delivery dates, SLAs, callbacks) and whether they were kept.',
    planned: [
      'Promise definitions and service-level targets',
      'Kept versus broken promises by team',
      'Customers with promises at risk',
    ],
  },
  {
    slug: 'journeys',
    label: 'Journeys',
    built: true,
    summary: 'The paths customers take across channels, and where they stall.',
    planned: [],
  },
  {
    slug: 'early-warning',
    label: 'Early warning',
    built: false,
    summary: 'Signals that a customer is about to leave or complain.',
    planned: [
      'Risk signals and the rules behind them',
      'Customers flagged this week',
      'How often warnings turned out right',
    ],
  },
  {
    slug: 'closed-loop',
    label: 'Closed loop',
    built: false,
    summary: 'Following up on feedback until the customer hears back.',
    planned: [
      'Detractor and complaint follow-up queue',
      'Time to first response and to close',
      'Root causes fixed from feedback',
    ],
  },
  {
    slug: 'value',
    label: 'Value',
    built: true,
    summary: 'What customers are worth, and what experience does to that worth.',
    planned: [],
  },
];

export function findCapability(slug: string | undefined): Capability | undefined {
  return CAPABILITIES.find((c) => c.slug === slug);
}
