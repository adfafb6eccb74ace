import type { Identity } from '@firegov/auth';
import { AppError, type Logger } from '@firegov/kit';
import type { Services } from '../schema/context.ts';
import type { EntitiesModels } from '../store/models.ts';
import { generateDemoCounty, type DemoCounty } from './qinglong.ts';

export const DEMO_COUNTY = '500230000000';

/** The loader acts as a county administrator of the demo county; every record it writes says demo. */
const loader: Identity = { subject: 'demo-loader', role: 'county_admin', jurisdiction: DEMO_COUNTY };

const ignoreConflict = async (fn: () => Promise<unknown>): Promise<boolean> => {
  try {
    await fn();
    return true;
  } catch (err) {
    if (err instanceof AppError && err.code === 'CONFLICT') return false;
    throw err;
  }
};

export interface DemoSummary {
  jurisdictions: number;
  departments: number;
  units: number;
  refusedUnits: number;
  households: number;
  fireTeams: number;
  committees: number;
  /** The units were there already. */
  skipped: boolean;
}

/**
 * Loads the synthetic Qinglong township (青龙乡, marked demo) through the same commands users
 * call, so every record is validated and announced on Kafka. Loading twice adds nothing.
 */
export async function loadDemo(services: Services, models: EntitiesModels, logger: Logger, units = 2000): Promise<DemoSummary> {
  const data = generateDemoCounty({ seed: 42, units });
  const summary: DemoSummary = {
    jurisdictions: 0,
    departments: 0,
    units: 0,
    refusedUnits: 0,
    households: 0,
    fireTeams: 0,
    committees: 0,
    skipped: false,
  };
  // Each part is loaded once; a store loaded by an older demo still gets the parts added since.
  for (const j of data.jurisdictions)
    if (await ignoreConflict(() => services.registry.registerJurisdiction(loader, j))) summary.jurisdictions += 1;
  for (const d of data.departments)
    if (await ignoreConflict(() => services.registry.registerDepartment(loader, d))) summary.departments += 1;
  if ((await models.units.countDocuments({ demo: true })) >= data.units.length) summary.skipped = true;
  else await loadUnits(services, data, summary, logger);
  if ((await models.households.countDocuments({ demo: true })) === 0) {
    for (const hh of data.households) {
      await services.registry.registerHousehold(loader, hh);
      summary.households += 1;
    }
  }
  if ((await models.fireTeams.countDocuments({ demo: true })) === 0) {
    for (const team of data.fireTeams) {
      await services.registry.registerFireTeam(loader, team);
      summary.fireTeams += 1;
    }
  }
  if ((await models.committees.countDocuments({ demo: true })) === 0) await loadCommittees(services, data, summary);
  return summary;
}

/** The units, in batches, with progress. */
async function loadUnits(services: Services, data: DemoCounty, summary: DemoSummary, logger: Logger) {
  for (let i = 0; i < data.units.length; i += 500) {
    const { created, refused } = await services.units.registerMany(loader, data.units.slice(i, i + 500));
    summary.units += created.length;
    summary.refusedUnits += refused.length;
    for (const r of refused.slice(0, 3)) logger.warn({ index: i + r.index, error: r.error.toJSON() }, 'demo unit refused');
    // `npm start` shows these as progress while a county-sized demo loads.
    logger.info({ done: Math.min(i + 500, data.units.length), total: data.units.length }, 'demo units registered');
  }
}

/** Committees, their sessions (decisions join the departments' lists) and a warning two in three grids acknowledged. */
async function loadCommittees(services: Services, data: DemoCounty, summary: DemoSummary) {
  for (const c of data.committees) {
    await services.registry.registerCommittee(loader, c);
    summary.committees += 1;
  }
  for (const s of data.sessions) await services.registry.recordCommitteeSession(loader, s);
  for (const w of data.warnings) {
    const issued = await ignoreConflict(() => services.registry.issueFireWarning(loader, w));
    if (!issued) continue;
    const grids = data.jurisdictions.filter((j) => j.level === 'grid' && j.code.startsWith(w.jurisdictionCode.slice(0, 9)));
    for (const [i, g] of grids.entries()) {
      if (i % 3 === 2) continue;
      const manager: Identity = {
        subject: `demo-grid-${g.code}`,
        role: 'village_grid_manager',
        jurisdiction: g.code.slice(0, 12),
      };
      await services.registry.acknowledgeFireWarning(manager, { warningId: w.id, gridCode: g.code });
    }
  }
}
