import type { Scenario } from './types.ts';

// Citizens reporting fire hazards (随手拍, 举报投诉) through the public API of inspections, with no
// account, then following their report with the tracking token they were given.
//
// Rate: a county gets tens to a few hundred reports a day; after a fire in the news or a reward
// campaign, a busy day's worth arrives within minutes. 2 citizens a second for 60 s (120 reports),
// each submitting a report and looking it up once. Thresholds: a phone on a mobile network adds
// 100–300 ms itself, so the platform's part stays under 300 ms at p95 and 1 s at p99, < 1 % failed.
//
// Each citizen comes from an address of their own (X-Forwarded-For, trusted from a loopback proxy
// as the local platform does): the API limits submissions per client address, as it would for real
// citizens, and one load generator is not one citizen. The reports stay in the township's queue.

const CATEGORIES = ['blocked_exit', 'fire_lane_occupied', 'ebike_indoor', 'facilities_broken', 'other'] as const;
const SHA = 'b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9';

/** Citizen n's address (10.0.0.0/8; distinct for the first 16 million citizens of a run). */
export const citizenAddress = (n: number): string => `10.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;

/** Citizen n's report: categories, places and contact (or anonymity) vary with n. */
export function citizenReport(n: number): Record<string, unknown> {
  const anonymous = n % 3 === 0;
  return {
    service_code: CATEGORIES[n % CATEGORIES.length],
    description: `压测举报（第${n}条）：楼道内有电动车停放充电，堵塞安全出口`,
    lat: 29.88 + (n % 50) / 1000,
    long: 107.72 + (n % 70) / 1000,
    address_string: `青龙乡${(n % 12) + 1}组`,
    media: [{ url: `https://media.load-test.example/${n}.jpg`, sha256: SHA }],
    anonymous,
    ...(anonymous ? {} : { contact: { phone: `139${String(n % 1e8).padStart(8, '0')}` } }),
  };
}

export const citizenReports: Scenario = {
  name: 'citizen_reports',
  description: 'citizens submit a hazard report (POST /public/v1/requests) and look it up with its token',
  auth: { kind: 'none' },
  journey: true,
  requests: [
    {
      name: 'submit a report',
      rest: {
        target: 'inspections',
        build: (_pick, n) => ({
          method: 'POST',
          path: '/public/v1/requests?jurisdiction_id=500230213000',
          headers: { 'x-forwarded-for': citizenAddress(n) },
          body: citizenReport(n),
          expect: { statuses: [201], body: { status: 'received' } },
        }),
      },
      keep: (answer) => ({ token: (answer as { token: string }).token }),
    },
    {
      name: 'follow it by its token',
      rest: {
        target: 'inspections',
        build: (_pick, n, kept) => ({
          method: 'GET',
          path: `/public/v1/requests/${kept.token}`,
          headers: { 'x-forwarded-for': citizenAddress(n) },
          expect: { statuses: [200], body: { token: kept.token, status: 'received' } },
        }),
      },
    },
  ],
  load: { ratePerSecond: 2, durationS: 60, maxConcurrency: 20 },
  thresholds: { failedRate: 0.01, p95Ms: 300, p99Ms: 1000 },
};
