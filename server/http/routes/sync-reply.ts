// Sync answers are compressed here rather than by @fastify/compress (which passes an answer
// with its own Content-Encoding through untouched): the quality is chosen by size, and the
// compressed length is known, so the answer carries Content-Length instead of being chunked.
// Brotli 11 for a small answer (a day's work: ~20 KB of JSON, 10-35 ms) and 5 for a
// page of a first sync (3 MB of JSON: ~24 % smaller than quality 2, ~30-60 ms on the
// thread pool, off the event loop).
import { promisify } from 'node:util';
import { brotliCompress, constants as zlibConstants, gzip } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';

const brotliAsync = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** Below this many bytes an answer goes as it is (headers cost more than compression saves). */
const COMPRESS_ABOVE = 200;
const SMALL_BODY = 64 * 1024;

type Encoding = 'br' | 'gzip' | null;

/** The device's preferred encoding among the two the server speaks (q=0 means "not this"). */
export function chooseEncoding(acceptEncoding: string | undefined): Encoding {
  if (!acceptEncoding) return null;
  const offered = new Map<string, number>();
  for (const part of acceptEncoding.toLowerCase().split(',')) {
    const [name, ...params] = part.trim().split(';');
    if (!name) continue;
    const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)).find((m) => m);
    offered.set(name.trim(), q ? Number(q[1]) : 1);
  }
  const score = (e: string) => offered.get(e) ?? offered.get('*') ?? 0;
  if (score('br') > 0 && score('br') >= score('gzip')) return 'br';
  if (score('gzip') > 0) return 'gzip';
  return null;
}

export async function compressBody(text: string, encoding: 'br' | 'gzip'): Promise<Buffer> {
  const raw = Buffer.from(text, 'utf8');
  if (encoding === 'gzip') return gzipAsync(raw, { level: raw.length <= SMALL_BODY ? 9 : 6 });
  return brotliAsync(raw, {
    params: {
      [zlibConstants.BROTLI_PARAM_QUALITY]: raw.length <= SMALL_BODY ? 11 : 5,
      [zlibConstants.BROTLI_PARAM_MODE]: zlibConstants.BROTLI_MODE_TEXT,
      [zlibConstants.BROTLI_PARAM_SIZE_HINT]: raw.length,
    },
  });
}

/** Sends `value` as JSON, compressed as the device accepts. */
export async function sendSyncJson(
  request: FastifyRequest,
  reply: FastifyReply,
  value: unknown,
): Promise<FastifyReply> {
  const text = JSON.stringify(value);
  void reply.header('content-type', 'application/json; charset=utf-8');
  void reply.header('vary', 'accept-encoding');
  const encoding = chooseEncoding(request.headers['accept-encoding']);
  // Sent as it is; @fastify/compress leaves it so too (its threshold is higher, and it
  // compresses nothing the device did not ask for).
  if (!encoding || text.length < COMPRESS_ABOVE) return reply.send(text);
  const body = await compressBody(text, encoding);
  void reply.header('content-encoding', encoding);
  return reply.send(body);
}
