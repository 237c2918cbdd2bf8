/**
 * A ticket is stored as the stream of what happened to it; its summary (opened, latest status, first agent
 * reply, closed) is derived here so every importer and the promise engine agree on the same definitions.
 */
export interface TicketStreamEntry {
  occurredAt: number;
  kind: string;
  status: string | null;
  authorRole: string | null;
  team: string | null;
  channel: string | null;
  subject: string | null;
  priority: string | null;
  customerKey: string;
  profileId: number | null;
}

export interface TicketSummary {
  customerKey: string;
  profileId: number | null;
  openedAt: number;
  updatedAt: number;
  status: string | null;
  channel: string | null;
  team: string | null;
  subject: string | null;
  priority: string | null;
  messages: number;
  /** First message by an agent (not a bot) after the ticket opened: what reply promises measure. */
  firstAgentReplyAt: number | null;
  closedAt: number | null;
}

const CLOSED_STATUSES = new Set(['solved', 'closed', 'resolved']);

/** Summarises one ticket's entries (any order). Later entries win for status, team, priority. */
export function summariseTicket(entries: readonly TicketStreamEntry[]): TicketSummary {
  if (entries.length === 0) throw new RangeError('a ticket needs at least one entry');
  const sorted = [...entries].sort((a, b) => a.occurredAt - b.occurredAt);
  const first = sorted[0]!;
  const opened = sorted.find((e) => e.kind === 'opened') ?? first;
  const summary: TicketSummary = {
    customerKey: opened.customerKey,
    profileId: opened.profileId,
    openedAt: first.occurredAt,
    updatedAt: sorted[sorted.length - 1]!.occurredAt,
    status: null,
    channel: null,
    team: null,
    subject: null,
    priority: null,
    messages: 0,
    firstAgentReplyAt: null,
    closedAt: null,
  };
  for (const e of sorted) {
    if (e.status) summary.status = e.status;
    if (e.team) summary.team = e.team;
    if (e.priority) summary.priority = e.priority;
    summary.channel ??= e.channel;
    summary.subject ??= e.subject;
    if (e.kind === 'message') {
      summary.messages++;
      if (e.authorRole === 'agent' && summary.firstAgentReplyAt === null) summary.firstAgentReplyAt = e.occurredAt;
    }
    const closes = e.kind === 'closed' || (e.status !== null && CLOSED_STATUSES.has(e.status.toLowerCase()));
    if (closes) summary.closedAt = e.occurredAt;
    else if (e.kind === 'opened' || (e.status !== null && !CLOSED_STATUSES.has(e.status.toLowerCase()))) summary.closedAt = null;
  }
  if (summary.closedAt !== null && summary.status === null) summary.status = 'closed';
  return summary;
}
