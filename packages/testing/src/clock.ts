/** A clock tests move by hand: the code under test reads `now`, nothing else. */
export class TestClock {
  t: number;
  constructor(start: string) {
    this.t = Date.parse(start);
  }
  now = (): Date => new Date(this.t);
  set(iso: string): void {
    this.t = Date.parse(iso);
  }
  advanceDays(days: number): void {
    this.t += days * 86_400_000;
  }
  advanceHours(hours: number): void {
    this.t += hours * 3_600_000;
  }
}
