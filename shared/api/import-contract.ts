// Operations of the portfolio import and the reconciliation export (manager or admin).
export const importOps = {} as const;
