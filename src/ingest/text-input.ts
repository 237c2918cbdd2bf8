/**
 * Byte-level input for the row readers: opens a file or takes a stream, transparently gunzips, reports progress
 * in raw (compressed) bytes so a progress bar's total can be the file size, decodes UTF-8 and splits physical
 * lines. Everything is chunked: inputs larger than memory are never held whole.
 */
import { createReadStream } from 'node:fs';
import { Readable, pipeline } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';

export interface TextInputOptions {
  /** Force gunzip on or off. Default: on when the first bytes are the gzip magic number (1f 8b). */
  gzip?: boolean | undefined;
  /** Called after every raw chunk with the total bytes read so far (compressed bytes for gzip input). */
  onProgress?: ((bytesRead: number) => void) | undefined;
  /**
   * Called once, before the text of the chunk holding them is yielded, if the input has bytes that are not UTF-8
   * (decoded as U+FFFD): a file in another encoding, whose rows the caller can then point out.
   */
  onInvalidUtf8?: (() => void) | undefined;
}

/** U+FFFD as UTF-8: a chunk holding it may have decoded it from the file itself. */
const REPLACEMENT_BYTES = Buffer.from([0xef, 0xbf, 0xbd]);

const READ_CHUNK_BYTES = 256 * 1024;

function isGzipMagic(chunk: Buffer): boolean {
  return chunk.length >= 2 && chunk[0] === 0x1f && chunk[1] === 0x8b;
}

/** Raw chunks with progress reporting; strings (from a stream in text mode) are passed through as Buffers. */
async function* countedChunks(
  source: AsyncIterable<unknown>,
  onProgress: TextInputOptions['onProgress'],
): AsyncGenerator<Buffer> {
  let bytesRead = 0;
  for await (const chunk of source) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : (chunk as Buffer);
    bytesRead += buffer.length;
    onProgress?.(bytesRead);
    yield buffer;
  }
}

/**
 * Yields the decoded text of `input` (a file path or a readable stream) chunk by chunk. A leading UTF-8 byte
 * order mark is removed. Errors from the file system or a corrupt gzip stream are thrown from the iteration.
 */
export async function* readTextChunks(
  input: string | NodeJS.ReadableStream,
  opts: TextInputOptions = {},
): AsyncGenerator<string> {
  const source: AsyncIterable<unknown> =
    typeof input === 'string' ? createReadStream(input, { highWaterMark: READ_CHUNK_BYTES }) : input;
  const iterator = countedChunks(source, opts.onProgress)[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done) return;

  // Put the sniffed first chunk back in front of the rest without re-reading.
  async function* rest(): AsyncGenerator<Buffer> {
    try {
      yield first.value as Buffer;
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
    } finally {
      // Closes the file when the consumer stops early.
      await iterator.return?.(undefined);
    }
  }
  let bytes: AsyncIterable<Buffer> = rest();
  if (opts.gzip ?? isGzipMagic(first.value)) {
    const gunzip = createGunzip();
    // Errors on either side destroy both streams; the error then surfaces from iterating `gunzip`.
    pipeline(Readable.from(bytes), gunzip, () => undefined);
    bytes = gunzip;
  }

  const decoder = new StringDecoder('utf8');
  let atStart = true;
  let invalidSeen = false;
  for await (const chunk of bytes) {
    let text = decoder.write(chunk);
    if (!invalidSeen && text.includes('\uFFFD') && !chunk.includes(REPLACEMENT_BYTES)) {
      invalidSeen = true;
      opts.onInvalidUtf8?.();
    }
    if (atStart && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      atStart = false;
    }
    if (text.length > 0) yield text;
  }
  const tail = decoder.end();
  if (tail.length > 0) yield tail;
}

/**
 * Splits decoded text into physical lines (`\n`-terminated; a trailing `\r` is left on the line for the caller,
 * because inside a quoted CSV field it is content). Lines are numbered from 1. A line longer than `maxLineChars`
 * is reported through `onOverlong` once and its remainder discarded, so a file without newlines cannot exhaust
 * memory.
 */
export class LineSplitter {
  private partial = '';
  private partialTooLong = false;
  private lineNo = 1;

  constructor(
    private readonly onLine: (text: string, line: number) => void,
    private readonly onOverlong: (line: number) => void,
    private readonly maxLineChars: number,
  ) {}

  push(chunk: string): void {
    let start = 0;
    for (let nl = chunk.indexOf('\n'); nl !== -1; nl = chunk.indexOf('\n', start)) {
      if (this.partialTooLong) {
        this.partialTooLong = false;
        this.partial = '';
      } else {
        const text = this.partial.length === 0 ? chunk.slice(start, nl) : this.partial + chunk.slice(start, nl);
        this.partial = '';
        if (text.length > this.maxLineChars) this.onOverlong(this.lineNo);
        else this.onLine(text, this.lineNo);
      }
      this.lineNo++;
      start = nl + 1;
    }
    if (start < chunk.length && !this.partialTooLong) {
      this.partial += chunk.slice(start);
      if (this.partial.length > this.maxLineChars) {
        this.onOverlong(this.lineNo);
        this.partial = '';
        this.partialTooLong = true;
      }
    }
  }

  /** Flushes a last line that has no trailing newline. */
  end(): void {
    if (this.partial.length > 0) this.onLine(this.partial, this.lineNo);
    this.partial = '';
    this.partialTooLong = false;
  }
}
