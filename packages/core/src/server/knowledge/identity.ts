// The identity pieces the knowledge use-cases need, imported in ONE place: the identity module is
// moving (Actor out of hot-path.ts into identity/), and after that merge only these two paths change.
export type { Actor } from "../hot-path.ts";
export { requireRole } from "../identity.ts";
