// What a compiled Node addon (.node) was built for, read from the file itself:
//   - its ABI: NAN/V8 addons such as better-sqlite3 export node_register_module_v<ABI>
//     (Node 20: 115; each Electron major has its own), so a Node build loaded by Electron
//     fails with "was compiled against a different Node.js version";
//   - its CPU: the ELF / PE / Mach-O header (a host-arch binary in an arm64 package fails
//     to load just the same).
// Used by the packaging pre-check on the built app and by electron-builder's afterPack.
import { createRequire } from 'node:module';

export type BinaryFormat = 'elf' | 'pe' | 'macho' | 'macho-fat' | 'unknown';
export type BinaryArch = 'x64' | 'arm64' | 'ia32' | 'universal' | 'unknown';

export interface NativeBinaryInfo {
  format: BinaryFormat;
  arch: BinaryArch;
  /** NODE_MODULE_VERSION the addon registers for; null for N-API addons or unknown files. */
  abi: number | null;
}

function elfArch(machine: number): BinaryArch {
  if (machine === 62) return 'x64';
  if (machine === 183) return 'arm64';
  if (machine === 3) return 'ia32';
  return 'unknown';
}

function peArch(machine: number): BinaryArch {
  if (machine === 0x8664) return 'x64';
  if (machine === 0xaa64) return 'arm64';
  if (machine === 0x14c) return 'ia32';
  return 'unknown';
}

function machoArch(cputype: number): BinaryArch {
  if (cputype === 0x01000007) return 'x64';
  if (cputype === 0x0100000c) return 'arm64';
  if (cputype === 7) return 'ia32';
  return 'unknown';
}

export function inspectNativeBinary(data: Buffer): NativeBinaryInfo {
  let format: BinaryFormat = 'unknown';
  let arch: BinaryArch = 'unknown';
  if (data.length >= 20 && data.readUInt32BE(0) === 0x7f454c46) {
    format = 'elf';
    const little = data[5] === 1;
    arch = elfArch(little ? data.readUInt16LE(18) : data.readUInt16BE(18));
  } else if (data.length >= 64 && data.readUInt16LE(0) === 0x5a4d) {
    const peOffset = data.readUInt32LE(0x3c);
    if (peOffset + 6 <= data.length && data.readUInt32LE(peOffset) === 0x00004550) {
      format = 'pe';
      arch = peArch(data.readUInt16LE(peOffset + 4));
    }
  } else if (data.length >= 8 && data.readUInt32LE(0) === 0xfeedfacf) {
    format = 'macho';
    arch = machoArch(data.readUInt32LE(4));
  } else if (data.length >= 8 && data.readUInt32BE(0) === 0xcafebabe) {
    format = 'macho-fat';
    arch = 'universal';
  }
  const m = /node_register_module_v(\d+)/.exec(data.toString('latin1'));
  return { format, arch, abi: m ? Number(m[1]) : null };
}

/** The Electron version's NODE_MODULE_VERSION, from node-abi (installed with electron-builder); null if unknown. */
export function electronAbi(electronVersion: string, projectDir: string): number | null {
  try {
    const require = createRequire(`${projectDir}/package.json`);
    const nodeAbi = require('node-abi') as { getAbi(target: string, runtime: string): string };
    return Number(nodeAbi.getAbi(electronVersion, 'electron'));
  } catch {
    return null;
  }
}

export const EXPECTED_FORMAT: Record<string, BinaryFormat[]> = {
  linux: ['elf'],
  win32: ['pe'],
  darwin: ['macho', 'macho-fat'],
};
