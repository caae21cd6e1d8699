// Where the icons and installer art live and the sizes each consumer requires. Shared by
// the art generator, the packaging pre-check and electron-builder.config.ts, so the three
// never disagree. Paths are relative to the repository root.

/** Sizes electron-builder's Linux targets pick up from a directory of NxN.png files. */
export const ICON_PNG_SIZES = [16, 24, 32, 48, 64, 128, 256, 512] as const;

/**
 * Sizes inside icon.ico: Explorer, taskbar, Start menu and installer pick from these
 * (128 is left out: Windows scales it from 256, and as a bitmap entry it would double the file).
 */
export const ICO_SIZES = [16, 24, 32, 48, 64, 256] as const;

export const ART = {
  iconSvg: 'resources/icons/icon.svg',
  /** macOS: electron-builder turns this into the .icns; it must be at least 512x512. */
  iconPng: 'resources/icons/icon.png',
  iconPngSize: 1024,
  ico: 'resources/icons/icon.ico',
  linuxIconDir: 'resources/icons/png',
  sidebarSvg: 'resources/installer/installer-sidebar.svg',
  /** NSIS MUI welcome/finish page bitmap: exactly 164x314. */
  sidebarBmp: 'resources/installer/installer-sidebar.bmp',
  sidebarSize: [164, 314] as const,
  headerSvg: 'resources/installer/installer-header.svg',
  /** NSIS MUI header bitmap: exactly 150x57. */
  headerBmp: 'resources/installer/installer-header.bmp',
  headerSize: [150, 57] as const,
  dmgBackgroundSvg: 'resources/installer/dmg-background.svg',
  /** The dmg window takes the background's size; dmg.contents positions assume 540x380. */
  dmgBackground: 'resources/installer/dmg-background.png',
  dmgBackgroundSize: [540, 380] as const,
  nsisInclude: 'resources/installer/installer.nsh',
} as const;
