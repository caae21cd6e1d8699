// Regenerates the committed icons and installer art from their SVG sources:
//   resources/icons/icon.svg          -> icon.png (1024), png/<N>x<N>.png, icon.ico
//   resources/installer/*.svg         -> installer-sidebar.bmp, installer-header.bmp,
//                                        dmg-background.png
// Needs rsvg-convert and ImageMagick's convert (Debian: apt-get install librsvg2-bin
// imagemagick) and the fonts the SVGs name (fonts-dejavu, fonts-noto-cjk). The outputs are
// committed, so packaging machines never run this; precheck.ts verifies their sizes.
//
//   npx tsx scripts/packaging/make-art.ts
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ART, ICON_PNG_SIZES, ICO_SIZES } from './art-spec';

const root = resolve(import.meta.dirname, '../..');

function findConvert(): string {
  // A stand-in `convert` may shadow ImageMagick on PATH; prefer the Debian binary.
  for (const candidate of [
    process.env.IMAGEMAGICK_CONVERT,
    '/usr/bin/convert',
    '/usr/bin/magick',
  ]) {
    if (candidate && existsSync(candidate)) return candidate;
  }
  return 'convert';
}

function svgToPng(svg: string, out: string, width: number, height: number): void {
  execFileSync('rsvg-convert', ['-w', String(width), '-h', String(height), svg, '-o', out]);
}

function main(): void {
  const convert = findConvert();
  const work = mkdtempSync(join(tmpdir(), 'fieldbook-art-'));
  try {
    const iconSvg = join(root, ART.iconSvg);
    mkdirSync(join(root, ART.linuxIconDir), { recursive: true });

    // Main PNG (macOS icns source and Linux fallback), quantised to keep it small.
    svgToPng(iconSvg, join(work, 'icon.png'), ART.iconPngSize, ART.iconPngSize);
    execFileSync(convert, [
      join(work, 'icon.png'),
      '-strip',
      '-define',
      'png:compression-level=9',
      join(root, ART.iconPng),
    ]);

    for (const size of ICON_PNG_SIZES) {
      const out = join(root, ART.linuxIconDir, `${size}x${size}.png`);
      svgToPng(iconSvg, join(work, `${size}.png`), size, size);
      execFileSync(convert, [
        join(work, `${size}.png`),
        '-strip',
        '-define',
        'png:compression-level=9',
        out,
      ]);
    }

    // Windows icon: every size rendered from the vector (crisper than downscaling one PNG).
    const icoInputs = ICO_SIZES.map((size) => {
      const file = join(work, `ico-${size}.png`);
      svgToPng(iconSvg, file, size, size);
      return file;
    });
    execFileSync(convert, [...icoInputs, join(root, ART.ico)]);

    // NSIS wants BMP; 8-bit palette BMPs are a third of the 24-bit size and look the same here.
    for (const [svg, bmp, [w, h]] of [
      [ART.sidebarSvg, ART.sidebarBmp, ART.sidebarSize],
      [ART.headerSvg, ART.headerBmp, ART.headerSize],
    ] as const) {
      const png = join(work, `${w}x${h}.png`);
      svgToPng(join(root, svg), png, w, h);
      execFileSync(convert, [
        png,
        '-alpha',
        'off',
        '-type',
        'Palette',
        '-colors',
        '256',
        `BMP3:${join(root, bmp)}`,
      ]);
    }

    const [dw, dh] = ART.dmgBackgroundSize;
    svgToPng(join(root, ART.dmgBackgroundSvg), join(work, 'dmg.png'), dw, dh);
    execFileSync(convert, [
      join(work, 'dmg.png'),
      '-strip',
      '-colors',
      '256',
      '-define',
      'png:compression-level=9',
      join(root, ART.dmgBackground),
    ]);

    console.log(
      'Icons and installer art regenerated; run npx tsx scripts/packaging/precheck.ts --art-only to verify.',
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main();
