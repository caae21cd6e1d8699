// Who works at the enrolled e2e's head office (test/e2e/support/head-office-setup.ts), and
// their passwords: made up for the test, never a real person's.
export const PASSWORDS = {
  liwei: 'liwei-Field-2026',
  wangfang: 'wangfang-Field-2026',
  zhangmin: 'zhangmin-Field-2026',
} as const;

export const NAMES = { liwei: '李伟', wangfang: '王芳', zhangmin: '张敏' } as const;

/** Li Wei's caseload: several pages of first download (5,000 items a page). */
export const LI_WEI_CASES = 1200;
export const WANG_FANG_CASES = 15;
