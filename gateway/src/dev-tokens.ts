import { Role, type Identity } from '@firegov/auth';

// The demo county of the seed data: Fengdu county (500230), Qinglong township, one village in it.
export const DEMO_DIVISIONS = {
  county: '500230000000',
  township: '500230213000',
  village: '500230213201',
} as const;

const DEMO_SCOPE: Readonly<Record<Role, keyof typeof DEMO_DIVISIONS>> = {
  county_admin: 'county',
  township_officer: 'township',
  village_grid_manager: 'village',
  // Sector departments, the fire brigade and assessment agencies work county-wide.
  department_officer: 'county',
  fire_brigade: 'county',
  agency: 'county',
  // A device gateway sits in premises in a village.
  device_gateway: 'village',
  // The national learning platform pushes statements for the whole county.
  learning_platform: 'county',
};

/** One demo identity per role, each in the jurisdiction that role would have. */
export function demoIdentities(): Identity[] {
  return Role.values.map((role) => ({
    subject: `demo-${role.replaceAll('_', '-')}`,
    role,
    jurisdiction: DEMO_DIVISIONS[DEMO_SCOPE[role]],
    name: `演示${Role.label(role)}`,
    ...(role === 'agency' ? { agencyId: 'demo-agency' } : {}),
  }));
}
