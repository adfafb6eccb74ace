import type { Identity } from '@firegov/auth';
import type { Logger } from '@firegov/kit';
import type { AssessmentServices } from '../app.ts';
import type { AssessmentModels, UnitRefDoc } from '../store/models.ts';

const loader: Identity = { subject: 'demo-loader', role: 'county_admin', jurisdiction: '500230000000' };
export const DEMO_AGENCY_CREDIT_CODE = '91500230MA5U0A2B3X';
const SHA = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';
const CATEGORIES = ['evacuation', 'extinguishers', 'alarm', 'electrical', 'fire_lane', 'management'] as const;

export interface DemoAgencySummary {
  agencyId: string;
  clientId: string;
  assessments: number;
  skipped: boolean;
}

/**
 * A demo agency (重庆演示消防技术服务有限公司, marked demo) with an engineer, a contract over the demo
 * township and an API client whose secret the caller supplies (so `npm start` can print it), and a
 * few dozen assessments of demo units pushed through the real push path: their findings become
 * hazards in inspections and their grades reach the units' risk grades. Loading twice adds nothing.
 */
export async function loadDemoAgency(
  services: AssessmentServices,
  models: AssessmentModels,
  logger: Logger,
  client: { clientSecret: string },
): Promise<DemoAgencySummary> {
  const existing = await models.agencies.findOne({ creditCode: DEMO_AGENCY_CREDIT_CODE }).lean();
  if (existing) return { agencyId: existing._id, clientId: existing.clients[0]?.clientId ?? '', assessments: 0, skipped: true };
  const agency = await services.agencies.register(loader, {
    name: '重庆演示消防技术服务有限公司（演示）',
    creditCode: DEMO_AGENCY_CREDIT_CODE,
    qualification: 'class_1',
  });
  const licenceNo = 'CQ-DEMO-0001';
  await services.agencies.registerEngineer(loader, agency._id, {
    name: '李工（演示）',
    licenceNo,
    validFrom: '2024-01-01',
    validUntil: '2029-12-31',
  });
  const year = new Date().getUTCFullYear();
  await services.agencies.registerContract(loader, {
    agencyId: agency._id,
    jurisdictionCodes: ['500230213000'],
    validFrom: `${year}-01-01`,
    validUntil: `${year}-12-31`,
  });
  const { clientId } = await services.agencies.createClient(loader, agency._id, '演示客户端', {
    clientId: `${agency._id}.demo`,
    clientSecret: client.clientSecret,
  });
  const units = (await models.units.find({ demo: true, status: 'active', scope: '500230213000' }).lean<UnitRefDoc[]>())
    .sort((a, b) => (a._id < b._id ? -1 : 1))
    .filter((_, i) => i % 40 === 0)
    .slice(0, 40);
  const caller = { agencyId: agency._id, clientId };
  const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  let pushed = 0;
  for (const [i, unit] of units.entries()) {
    const score = 55 + ((i * 7) % 40);
    const grade = score >= 85 ? 'A' : score >= 70 ? 'B' : score >= 60 ? 'C' : 'D';
    const findings = Array.from({ length: 1 + (i % 3) }, (_, k) => ({
      id: `F-${k + 1}`,
      category: CATEGORIES[(i + k) % CATEGORIES.length],
      severity: k === 0 && grade === 'D' ? 'major' : 'general',
      description: `演示评估发现问题${k + 1}（${unit.name}）`,
      location: `${k + 1}F`,
      evidence: [{ url: `https://files.demo-agency.example/${unit._id}/${k}.jpg`, sha256: SHA }],
    }));
    const res = await services.submissions.submit(caller, `demo-${unit._id}`, {
      unit: { unitId: unit._id },
      engineerLicence: licenceNo,
      assessedOn: today,
      method: i % 2 ? 'on_site' : 'combined',
      score,
      grade,
      findings,
      report: { url: `https://files.demo-agency.example/${unit._id}/report.pdf`, sha256: SHA },
    });
    if (res.status === 201) pushed += 1;
  }
  logger.info({ agencyId: agency._id, pushed }, 'demo agency loaded');
  return { agencyId: agency._id, clientId, assessments: pushed, skipped: false };
}
