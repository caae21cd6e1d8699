// Operations only a branch manager (or admin) may call: the dashboard, plan decisions,
// reassignment, exports. The ledger refuses them for officers.
export const managerOps = {} as const;
