/**
 * Putting a reject file in line order with bounded memory. An import reports problems as it finds them, and not
 * always in line order: the bulk path reports each check for the whole file in turn, and the batch path validates
 * the next batch while the previous one is stored. Entries that arrive out of order are kept in memory up to
 * {@link RUN_ENTRIES}, then sorted and written to a run file; at the end the runs and the part of the reject file
 * already written are merged by line. Entries of the same line keep the order they were reported in. Runs hold
 * rows in the reject file's own format, so merging copies rows as they are and never decodes them.
 */
import { once } from 'node:events';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** One reported problem: its line, and its row of the reject file (CSV text, with its line end). */
export interface RejectEntry {
  line: number;
  text: string;
}

/** Entries held in memory before they are sorted and written to a run. */
export const RUN_ENTRIES = 50_000;
/** Runs merged at once; more are first merged into one (a run of runs), so few files are open at a time. */
const MAX_RUNS = 32;

/** Runs of line-ordered entries in a temporary folder next to the reject file. */
export class RejectRuns {
  private folder: string | null = null;
  private readonly runs: string[] = [];
  private made = 0;
  private buffer: RejectEntry[] = [];

  /** `runEntries`: entries held before a run is written (tests make it small). */
  constructor(
    private readonly rejectPath: string,
    private readonly runEntries = RUN_ENTRIES,
  ) {}

  get empty(): boolean {
    return this.runs.length === 0 && this.buffer.length === 0;
  }

  async add(entry: RejectEntry): Promise<void> {
    this.buffer.push(entry);
    if (this.buffer.length >= this.runEntries) await this.spill();
  }

  /**
   * Merges the runs with `head` (a reject file already in line order, header included, written before any entry
   * came out of order) into `target`, a new file with `header`. Entries of `head` go first among equal lines.
   */
  async mergeInto(head: string, target: string, header: string): Promise<void> {
    // At most MAX_RUNS runs remain (spill compacts them), so all are merged in one pass.
    await this.spill();
    const out = createWriteStream(target, { encoding: 'utf8' });
    try {
      await writeEntries(
        out,
        header,
        mergeSorted([readRows(head, true), ...this.runs.map((run) => readRows(run, false))]),
      );
    } finally {
      await closeStream(out);
    }
  }

  /** Removes the temporary folder; nothing to do if no run was written. */
  async discard(): Promise<void> {
    this.buffer = [];
    this.runs.length = 0;
    const folder = this.folder;
    this.folder = null;
    if (folder) await rm(folder, { recursive: true, force: true });
  }

  /** Sorts what is in memory (stably: equal lines keep their order) and writes it as the next run. */
  private async spill(): Promise<void> {
    if (this.buffer.length === 0) return;
    const entries = this.buffer;
    this.buffer = [];
    entries.sort((a, b) => a.line - b.line);
    await this.writeRun([entries]);
    if (this.runs.length >= MAX_RUNS) await this.compact(this.runs.length);
  }

  /** Replaces the last `count` runs by their merge. */
  private async compact(count: number): Promise<void> {
    const merged = this.runs.splice(this.runs.length - count, count);
    await this.writeRun(mergeSorted(merged.map((run) => readRows(run, false))));
    await Promise.all(merged.map((file) => rm(file, { force: true })));
  }

  private async writeRun(entries: Iterable<RejectEntry[]> | AsyncIterable<RejectEntry[]>): Promise<void> {
    this.folder ??= await mkdtemp(join(dirname(this.rejectPath), `.${basename(this.rejectPath)}.sorting-`));
    const file = join(this.folder, `run-${this.made++}.csv`);
    const out = createWriteStream(file, { encoding: 'utf8' });
    try {
      await writeEntries(out, '', entries);
    } finally {
      await closeStream(out);
    }
    this.runs.push(file);
  }
}

const quote = (s: string): string => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** A reject row as the reject file writes it. */
export const rejectRow = (line: number, field: string, kind: string, reason: string): string =>
  `${line},${quote(field)},${kind},${quote(reason)}\n`;

/**
 * Rows of a file in the reject file's format (the file itself, or a run: the same rows without a header), read
 * back in chunks. A row ends at a line break after an even number of quote characters (a quoted value's `""`
 * counts twice), found with `indexOf` rather than a loop over characters. Rows are handed on as written.
 */
async function* readRows(file: string, skipHeader: boolean): AsyncGenerator<RejectEntry[]> {
  let rest = '';
  let header = skipHeader;
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1024 * 1024 })) {
    const text = rest + (chunk as string);
    const rows: RejectEntry[] = [];
    const scan = new RowScan(text);
    let start = 0;
    for (;;) {
      const end = scan.rowEnd(start);
      if (end === -1) break;
      if (header) header = false;
      else rows.push({ line: Number(text.slice(start, text.indexOf(',', start))), text: text.slice(start, end + 1) });
      start = end + 1;
    }
    rest = text.slice(start);
    if (rows.length > 0) yield rows;
  }
  if (rest !== '') throw new Error(`reject file ${file}: its last row has no line end`);
}

/** Finds the ends of rows in a text, remembering the next quote so rows without any do not search far ahead. */
class RowScan {
  private quote: number;
  constructor(private readonly text: string) {
    this.quote = text.indexOf('"');
  }

  /** The index of the line break ending the row starting at `start`, or -1 if the row is not complete. */
  rowEnd(start: number): number {
    const text = this.text;
    let from = start;
    for (;;) {
      const newline = text.indexOf('\n', from);
      if (newline === -1) return -1;
      // Quotes before this line break, in pairs: a line break inside quotes is part of the value.
      let inside = false;
      while (this.quote !== -1 && this.quote < newline) {
        inside = !inside;
        this.quote = text.indexOf('"', this.quote + 1);
      }
      if (!inside) return newline;
      // Inside quotes: the value goes on past the line break, to the quote closing it.
      if (this.quote === -1) return -1;
      from = this.quote + 1;
      this.quote = text.indexOf('"', from);
    }
  }
}

/** A source of entries in line order, read a batch at a time. */
class Cursor {
  private batch: RejectEntry[] = [];
  private at = 0;
  constructor(private readonly rows: AsyncIterator<RejectEntry[]>) {}

  /** The current entry, reading the next batch when needed; undefined at the end. */
  async head(): Promise<RejectEntry | undefined> {
    while (this.at >= this.batch.length) {
      const next = await this.rows.next();
      if (next.done) return undefined;
      this.batch = next.value;
      this.at = 0;
    }
    return this.batch[this.at];
  }

  /** The current entry without reading (valid after `head()` returned one). */
  current(): RejectEntry | undefined {
    return this.batch[this.at];
  }

  advance(): void {
    this.at++;
  }
}

/** Merges sources each in line order; among equal lines, earlier sources first. */
async function* mergeSorted(sources: AsyncIterator<RejectEntry[]>[]): AsyncGenerator<RejectEntry[]> {
  const cursors = sources.map((s) => new Cursor(s));
  let live = (await Promise.all(cursors.map(async (c) => ((await c.head()) ? c : null)))).filter(
    (c): c is Cursor => c !== null,
  );
  let out: RejectEntry[] = [];
  while (live.length > 0) {
    let best = live[0]!;
    for (let i = 1; i < live.length; i++) if (live[i]!.current()!.line < best.current()!.line) best = live[i]!;
    out.push(best.current()!);
    best.advance();
    if (!(await best.head())) live = live.filter((c) => c !== best);
    if (out.length >= 4096) {
      yield out;
      out = [];
    }
  }
  if (out.length > 0) yield out;
}

/** Writes `header` and the entries' rows, in chunks of about 64 kB. */
async function writeEntries(
  out: WriteStream,
  header: string,
  batches: Iterable<RejectEntry[]> | AsyncIterable<RejectEntry[]>,
): Promise<void> {
  let chunk = header;
  for await (const batch of batches) {
    for (const e of batch) chunk += e.text;
    if (chunk.length >= 64 * 1024) {
      await write(out, chunk);
      chunk = '';
    }
  }
  if (chunk) await write(out, chunk);
}

async function write(out: WriteStream, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

function closeStream(out: WriteStream): Promise<void> {
  return new Promise((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
}
