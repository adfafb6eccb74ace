import { seedUnits, setupAgency, startHarness, tokenFor, unitSnapshot } from '../services/assessment/test/harness.ts';
const h = await startHarness('assess-fuzz');
const unit = unitSnapshot({ creditCode: '91440300708461136T' });
await seedUnits(h, [unit]);
const out: Record<string, string>[] = [];
for (const cc of ['91110000802100433B', '91330100716105852F', '91110108551385082Q']) {
  const a = await setupAgency(h, { creditCode: cc, jurisdictionCodes: ['500230213000'] });
  const token = await tokenFor(h, a.clientId, a.clientSecret);
  out.push({ url: h.server.url, token, unit: unit.id, client: a.clientId, secret: a.clientSecret, licence: a.licenceNo });
}
console.log(JSON.stringify(out));
process.on('SIGTERM', () => {
  void h.close().then(() => process.exit(0));
});
