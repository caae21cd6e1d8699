// Image sizes read from file headers (no image library): PNG (IHDR), BMP (DIB header) and
// ICO (its directory of sizes). Enough for the packaging pre-check to refuse art that
// NSIS, the dmg builder or a Linux desktop would reject or scale badly.

export interface ImageSize {
  width: number;
  height: number;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function pngSize(data: Buffer): ImageSize | null {
  if (
    data.length < 24 ||
    !data.subarray(0, 8).equals(PNG_SIGNATURE) ||
    data.toString('latin1', 12, 16) !== 'IHDR'
  )
    return null;
  return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
}

export interface BmpInfo extends ImageSize {
  bitsPerPixel: number;
}

export function bmpInfo(data: Buffer): BmpInfo | null {
  if (data.length < 30 || data.toString('latin1', 0, 2) !== 'BM') return null;
  const headerSize = data.readUInt32LE(14);
  if (headerSize < 40) return null; // OS/2 BITMAPCOREHEADER: not what NSIS wants
  return {
    width: data.readInt32LE(18),
    height: Math.abs(data.readInt32LE(22)),
    bitsPerPixel: data.readUInt16LE(28),
  };
}

/** Sizes stored in an .ico (a 0 in the directory means 256). */
export function icoSizes(data: Buffer): ImageSize[] | null {
  if (data.length < 6 || data.readUInt16LE(0) !== 0 || data.readUInt16LE(2) !== 1) return null;
  const count = data.readUInt16LE(4);
  if (data.length < 6 + count * 16) return null;
  const sizes: ImageSize[] = [];
  for (let i = 0; i < count; i++) {
    const entry = 6 + i * 16;
    sizes.push({ width: data[entry] || 256, height: data[entry + 1] || 256 });
  }
  return sizes;
}
