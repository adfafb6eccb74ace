import type { PersonRole } from './client.ts';

// People who sign in at the provider (the future console's users). The demo county's users are
// synthetic and marked demo; their passwords are stored only as scrypt hashes.

export interface User {
  /** The token's `sub`. */
  _id: string;
  /** What a person types at the login page. */
  username: string;
  name: string;
  role: PersonRole;
  jurisdiction: string;
  passwordHash: string;
  demo: boolean;
  createdAt: string;
}

/** The demo county's people, one per role of a person (DEMO_IDENTITIES in infra/src/platform.ts uses the same codes). */
export const DEMO_USERS: ReadonlyArray<Omit<User, 'passwordHash' | 'createdAt' | 'demo'>> = [
  { _id: 'demo-county', username: 'county', name: '县级管理员（演示）', role: 'county_admin', jurisdiction: '500230000000' },
  { _id: 'demo-township', username: 'township', name: '青龙乡（演示）', role: 'township_officer', jurisdiction: '500230213000' },
  { _id: 'demo-grid', username: 'grid', name: '网格员（演示）', role: 'village_grid_manager', jurisdiction: '500230213201' },
  {
    _id: 'demo-department',
    username: 'department',
    name: '行业部门（演示）',
    role: 'department_officer',
    jurisdiction: '500230000000',
  },
  { _id: 'demo-brigade', username: 'brigade', name: '消防救援（演示）', role: 'fire_brigade', jurisdiction: '500230000000' },
];

/** The token claims of a person, in the platform's claim names (packages/auth/src/tokens.ts). */
export const userClaims = (u: Pick<User, 'name' | 'role' | 'jurisdiction'>) => ({
  role: u.role,
  jur: u.jurisdiction,
  name: u.name,
});
