// Sits between the file and the parser: counts bytes for the progress bar, hashes them so a
// second pass can prove it read the same file, and stops the stream when the user cancels.
import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

export class ByteTap extends Transform {
  bytes = 0;
  private readonly hash = createHash('sha256');
  private digestHex: string | null = null;

  constructor(private readonly signal?: AbortSignal) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.signal?.aborted) {
      callback(this.signal.reason instanceof Error ? this.signal.reason : new Error('Aborted'));
      return;
    }
    this.bytes += chunk.length;
    this.hash.update(chunk);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    this.digestHex = this.hash.digest('hex');
    callback();
  }

  /** sha256 of every byte, once the file was read to its end; null before. */
  digest(): string | null {
    return this.digestHex;
  }
}
