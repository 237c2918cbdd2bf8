/**
 * Profile ids drawn from the sequence ahead of a write, so that a transaction creating profiles needs no round
 * trip for their ids: on the HTTP path each statement of a write waits for the event loop, which parses and
 * validates the next requests meanwhile. Ids are drawn in blocks before the transaction; ids never used (a
 * rolled-back write, a restart) only leave gaps in the sequence, as any rolled-back nextval does.
 */
export class ProfileIdReserve {
  private ids: number[] = [];

  constructor(
    private readonly draw: (n: number) => Promise<number[]>,
    private readonly block = 65_536,
  ) {}

  /** Makes sure at least `n` ids are in hand (one draw of at least a block when short). */
  async ensure(n: number): Promise<void> {
    if (this.ids.length >= n) return;
    const more = await this.draw(Math.max(n - this.ids.length, this.block));
    this.ids.push(...more);
  }

  /** The first `n` ids in hand, in order, or undefined when fewer are held. They stay in hand until {@link used}. */
  peek(n: number): readonly number[] | undefined {
    return this.ids.length >= n ? this.ids.slice(0, n) : undefined;
  }

  /** The first `n` ids were given to profiles: they are not handed out again. */
  used(n: number): void {
    this.ids.splice(0, n);
  }
}
