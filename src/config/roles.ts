/** What one process does: everything, or one part when the service is split over machines. */
export const ROLES = ['all', 'ingress', 'worker', 'scheduler'] as const;
export type Role = (typeof ROLES)[number];
