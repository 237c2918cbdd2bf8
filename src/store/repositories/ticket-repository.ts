/** Rebuilds the derived `tickets` rows from their stored streams after new stream entries arrive. */
import { summariseTicket, type TicketStreamEntry } from '../../core/tickets/summarise.js';
import type { Queryable } from '../engines/engine.js';

type EntryRow = {
  ticket_id: string;
  occurred_at: string;
  kind: string;
  status: string | null;
  author_role: string | null;
  team: string | null;
  channel: string | null;
  subject: string | null;
  priority: string | null;
  customer_key: string;
  profile_id: number | null;
};

export async function rebuildTickets(tx: Queryable, workspaceId: string, ticketIds: readonly string[]): Promise<void> {
  if (ticketIds.length === 0) return;
  await tx.loadTemp('touched_tickets', [{ name: 'ticket_id', type: 'text' }], ticketIds.map((t) => [t]));
  const rows = await tx.query<EntryRow>(
    `SELECT e.ticket_id, e.occurred_at, e.kind, e.status, e.author_role, e.team, e.channel, e.subject, e.priority,
            e.customer_key, e.profile_id
       FROM ticket_events e JOIN touched_tickets t ON e.ticket_id = t.ticket_id
      WHERE e.workspace_id = $1`,
    [workspaceId],
  );
  const byTicket = new Map<string, TicketStreamEntry[]>();
  for (const r of rows) {
    let list = byTicket.get(r.ticket_id);
    if (!list) byTicket.set(r.ticket_id, (list = []));
    list.push({
      occurredAt: Date.parse(r.occurred_at),
      kind: r.kind,
      status: r.status,
      authorRole: r.author_role,
      team: r.team,
      channel: r.channel,
      subject: r.subject,
      priority: r.priority,
      customerKey: r.customer_key,
      profileId: r.profile_id,
    });
  }
  const summaries = [...byTicket].map(([id, entries]) => {
    const s = summariseTicket(entries);
    return [id, s.customerKey, s.profileId, s.openedAt, s.updatedAt, s.status, s.channel, s.team, s.subject, s.priority, s.messages, s.firstAgentReplyAt, s.closedAt];
  });
  await tx.loadTemp(
    'ticket_summaries',
    [
      { name: 'ticket_id', type: 'text' },
      { name: 'customer_key', type: 'text' },
      { name: 'profile_id', type: 'bigint' },
      { name: 'opened_at', type: 'timestamptz' },
      { name: 'updated_at', type: 'timestamptz' },
      { name: 'status', type: 'text' },
      { name: 'channel', type: 'text' },
      { name: 'team', type: 'text' },
      { name: 'subject', type: 'text' },
      { name: 'priority', type: 'text' },
      { name: 'messages', type: 'integer' },
      { name: 'first_agent_reply_at', type: 'timestamptz' },
      { name: 'closed_at', type: 'timestamptz' },
    ],
    summaries,
  );
  await tx.run(`DELETE FROM tickets WHERE workspace_id = $1 AND ticket_id IN (SELECT ticket_id FROM ticket_summaries)`, [workspaceId]);
  await tx.run(
    `INSERT INTO tickets (workspace_id, ticket_id, customer_key, profile_id, opened_at, updated_at, status, channel, team,
                          subject, priority, messages, first_agent_reply_at, closed_at)
     SELECT $1, ticket_id, customer_key, profile_id, opened_at, updated_at, status, channel, team, subject, priority,
            messages, first_agent_reply_at, closed_at FROM ticket_summaries`,
    [workspaceId],
  );
}
