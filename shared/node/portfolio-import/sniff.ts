// Working out what a file is before parsing it: spreadsheet or text, which encoding, which
// delimiter. Everything here looks at a bounded sample, never the whole file.
import chardet from 'chardet';
import iconv from 'iconv-lite';
import type { FileHandle } from 'node:fs/promises';
import { DELIMITERS, type Delimiter, type SourceEncoding } from '../../import/raw-row';
import { PortfolioReadError } from './errors';

export const SAMPLE_BYTES = 64 * 1024;
/** How far into an all-ASCII file to look for the first non-ASCII text before calling it UTF-8. */
const ASCII_SCAN_LIMIT = 16 * 1024 * 1024;

export type ContainerKind = 'xlsx' | 'text';

/** Spreadsheet or text, from the first bytes (the extension is often wrong: '.xls' holding TSV or HTML). */
export function detectContainer(head: Buffer): ContainerKind {
  if (head.length === 0) throw new PortfolioReadError('empty_file', 'The file is empty');
  if (head.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) return 'xlsx';
  if (head.subarray(0, 8).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))) {
    throw new PortfolioReadError('legacy_xls', 'Legacy .xls (OLE2) workbooks are not supported');
  }
  const start = head.subarray(0, 2048).toString('latin1').replace(/^\uFEFF|^\xEF\xBB\xBF/, '').trimStart().toLowerCase();
  if (start.startsWith('<')) {
    if (/<html|<table|<!doctype html/.test(start)) throw new PortfolioReadError('html_table', 'HTML table saved as a spreadsheet');
    throw new PortfolioReadError('unsupported_format', 'XML or markup file');
  }
  if (head.subarray(0, 5).toString('latin1') === '%PDF-') throw new PortfolioReadError('unsupported_format', 'PDF file');
  return 'text';
}

/** The bytes to judge the encoding by: the head, or in an ASCII head the first lines that are not ASCII. */
export async function encodingSample(handle: FileHandle, head: Buffer, fileSize: number): Promise<Buffer> {
  if (hasHighByte(head) || head.length >= fileSize) return head;
  const chunk = Buffer.alloc(SAMPLE_BYTES);
  for (let pos = head.length; pos < Math.min(fileSize, ASCII_SCAN_LIMIT); pos += SAMPLE_BYTES) {
    const { bytesRead } = await handle.read(chunk, 0, SAMPLE_BYTES, pos);
    if (bytesRead === 0) break;
    const slice = chunk.subarray(0, bytesRead);
    const high = firstHighByte(slice);
    if (high < 0) continue;
    // Start at a line break before the first non-ASCII byte: a break is never inside a character.
    const lineStart = slice.lastIndexOf(0x0a, high);
    const from = pos + (lineStart < 0 ? 0 : lineStart + 1);
    const window = Buffer.alloc(SAMPLE_BYTES);
    const read = await handle.read(window, 0, SAMPLE_BYTES, from);
    return Buffer.from(window.subarray(0, read.bytesRead));
  }
  return head;
}

function firstHighByte(buf: Buffer): number {
  for (let i = 0; i < buf.length; i++) if ((buf[i] ?? 0) >= 0x80) return i;
  return -1;
}

function hasHighByte(buf: Buffer): boolean {
  return firstHighByte(buf) >= 0;
}

/**
 * Decides the encoding of a text file from a sample. A byte-order mark settles it; text
 * that is valid UTF-8 is UTF-8 (GBK text practically never is); otherwise the candidates
 * chardet ranks (GB18030, Big5) are tried and the first that decodes without replacement
 * characters wins. GBK is reported when the sample has no GB18030 four-byte sequence;
 * both are decoded with the GB18030 decoder, a superset, so a rare character further
 * down ('䶮', '𠮷') still comes through.
 */
export function detectEncoding(sample: Buffer): SourceEncoding {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return 'utf-8-bom';
  if (sample[0] === 0xff && sample[1] === 0xfe) return 'utf-16le';
  if (sample[0] === 0xfe && sample[1] === 0xff) return 'utf-16be';
  const utf16 = utf16WithoutBom(sample);
  if (utf16) return utf16;
  if (!hasHighByte(sample)) return 'utf-8';
  const utf8Bad = utf8Replacements(sample);
  if (utf8Bad === 0) return 'utf-8';
  const ranked: Array<'gb18030' | 'big5'> = [];
  for (const match of chardet.analyse(sample)) {
    if (match.name === 'GB18030' && !ranked.includes('gb18030')) ranked.push('gb18030');
    if (match.name === 'Big5' && !ranked.includes('big5')) ranked.push('big5');
  }
  // A lender's file is Chinese: when chardet prefers some Latin code page, GB18030 is still
  // the likelier truth (the user can always pick the encoding by hand).
  if (!ranked.includes('gb18030')) ranked.push('gb18030');
  let fallback: { encoding: SourceEncoding; bad: number } = { encoding: 'utf-8', bad: utf8Bad };
  for (const candidate of ranked) {
    const bad = countReplacement(decodeSample(sample, candidate));
    const encoding = candidate === 'gb18030' ? gbFlavour(sample) : candidate;
    if (bad === 0) return encoding;
    if (bad < fallback.bad) fallback = { encoding, bad };
  }
  // A few damaged bytes should cost only their rows (validation flags garbled cells), not the file.
  if (fallback.bad <= Math.max(2, sample.length / 1000)) return fallback.encoding;
  throw new PortfolioReadError('unknown_encoding', 'Cannot tell the file encoding', {
    guess: chardet.detect(sample) ?? 'unknown',
  });
}

function utf16WithoutBom(sample: Buffer): 'utf-16le' | 'utf-16be' | null {
  const n = Math.min(sample.length, 4096) & ~1;
  if (n < 8) return null;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < n; i += 2) {
    if (sample[i] === 0) evenZeros++;
    if (sample[i + 1] === 0) oddZeros++;
  }
  const pairs = n / 2;
  if (oddZeros > pairs * 0.3 && evenZeros < pairs * 0.05) return 'utf-16le';
  if (evenZeros > pairs * 0.3 && oddZeros < pairs * 0.05) return 'utf-16be';
  return null;
}

/** Invalid UTF-8 sequences in the sample (0 for valid UTF-8, which GBK text practically never is). */
function utf8Replacements(sample: Buffer): number {
  // A sample cut from the middle of a file may start inside a character: skip its tail bytes.
  let start = 0;
  while (start < 3 && ((sample[start] ?? 0) & 0xc0) === 0x80) start++;
  // stream: true holds back a character cut by the sample's end instead of replacing it.
  const text = new TextDecoder('utf-8').decode(sample.subarray(start), { stream: true });
  return countReplacement(text);
}

function decodeSample(sample: Buffer, encoding: 'gb18030' | 'big5'): string {
  // write() without end(): a character cut by the sample's end is held back, not replaced.
  return iconv.getDecoder(encoding).write(sample);
}

function countReplacement(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\uFFFD'); i >= 0; i = text.indexOf('\uFFFD', i + 1)) n++;
  return n;
}

/** 'gb18030' when the sample uses a four-byte sequence (characters outside GBK), else 'gbk'. */
function gbFlavour(sample: Buffer): 'gbk' | 'gb18030' {
  for (let i = 0; i < sample.length; ) {
    const b = sample[i] ?? 0;
    if (b < 0x80) {
      i++;
      continue;
    }
    const b2 = sample[i + 1] ?? 0;
    if (b2 >= 0x30 && b2 <= 0x39) return 'gb18030';
    i += 2;
  }
  return 'gbk';
}

/** The decoder name iconv-lite uses for a detected encoding (GBK files decode with GB18030, a superset). */
export function decoderName(encoding: SourceEncoding): 'utf8' | 'utf-16le' | 'utf-16be' | 'gb18030' | 'big5' {
  switch (encoding) {
    case 'utf-8':
    case 'utf-8-bom':
      return 'utf8';
    case 'gbk':
    case 'gb18030':
      return 'gb18030';
    default:
      return encoding;
  }
}

/** Decodes a sample for delimiter and header sniffing. */
export function decodeForSniffing(sample: Buffer, encoding: SourceEncoding): string {
  return iconv.getDecoder(decoderName(encoding)).write(sample);
}

/**
 * The delimiter that splits the sample's records into the same number of fields most often.
 * Quoted text is skipped, so '"1,234.50"' never votes for the comma. Only comma, tab,
 * semicolon and pipe are considered: colons, dots and slashes live inside dates and amounts.
 */
export function detectDelimiter(text: string): Delimiter {
  const counts = DELIMITERS.map(() => [] as number[]);
  let current = DELIMITERS.map(() => 0);
  let inQuotes = false;
  let records = 0;
  let recordHasText = false;
  const endRecord = (): void => {
    if (recordHasText) {
      current.forEach((c, i) => counts[i]?.push(c));
      records++;
    }
    current = DELIMITERS.map(() => 0);
    recordHasText = false;
  };
  for (let i = 0; i < text.length && records < 50; i++) {
    const ch = text[i];
    if (ch === '"') {
      inQuotes = !inQuotes;
      recordHasText = true;
    } else if (inQuotes) continue;
    else if (ch === '\n' || ch === '\r') endRecord();
    else {
      const d = DELIMITERS.indexOf(ch as Delimiter);
      if (d >= 0) {
        current[d] = (current[d] ?? 0) + 1;
      } else if (ch !== ' ') recordHasText = true;
    }
  }
  if (records < 50) endRecord();
  let best: Delimiter = ',';
  let bestScore = 0;
  DELIMITERS.forEach((delimiter, i) => {
    const { mode, frequency } = modeOf(counts[i] ?? []);
    if (mode === 0) return;
    // Agreement first (how many records have that many fields), then more fields.
    const score = frequency * 1000 + Math.min(mode, 999);
    if (score > bestScore) {
      best = delimiter;
      bestScore = score;
    }
  });
  return best;
}

function modeOf(values: readonly number[]): { mode: number; frequency: number } {
  const tally = new Map<number, number>();
  for (const v of values) if (v > 0) tally.set(v, (tally.get(v) ?? 0) + 1);
  let mode = 0;
  let frequency = 0;
  for (const [value, n] of tally) {
    if (n > frequency || (n === frequency && value > mode)) {
      mode = value;
      frequency = n;
    }
  }
  return { mode, frequency };
}
