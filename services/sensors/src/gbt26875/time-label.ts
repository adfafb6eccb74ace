// The 6-byte time label 时间标签 of GB/T 26875.3 (fact sheet §1.1): sec min hour day month year, plain
// binary, year counted from 2000 [I]. The standard names no time zone [U]; devices and decoders
// treat it as China local time, so UTC+8 is the default offset everywhere here.

export interface TimeLabel {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export const TIME_LABEL_BYTES = 6;

/** China standard time: the offset every known device and decoder assumes [U]. */
export const CHINA_OFFSET_MINUTES = 8 * 60;

export function readTimeLabel(buf: Uint8Array, offset: number): TimeLabel {
  const b = (i: number): number => buf[offset + i] ?? 0;
  return { second: b(0), minute: b(1), hour: b(2), day: b(3), month: b(4), year: 2000 + b(5) };
}

export function writeTimeLabel(buf: Uint8Array, offset: number, t: TimeLabel): void {
  const year = t.year - 2000;
  if (year < 0 || year > 99) throw new RangeError(`a time label holds years 2000-2099, got ${t.year}`);
  const bytes = [t.second, t.minute, t.hour, t.day, t.month, year];
  bytes.forEach((v, i) => {
    if (!Number.isInteger(v) || v < 0 || v > 255) throw new RangeError(`time label byte ${i} out of range: ${v}`);
    buf[offset + i] = v;
  });
}

/**
 * The instant a time label names, or undefined when it names no real date (month 0, 31 February,
 * 25 o'clock): a device with an unset clock sends such labels, and they must not become readings.
 */
export function timeLabelToDate(t: TimeLabel, offsetMinutes = CHINA_OFFSET_MINUTES): Date | undefined {
  if (t.month < 1 || t.month > 12 || t.day < 1 || t.hour > 23 || t.minute > 59 || t.second > 59) return undefined;
  const local = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
  // Date.UTC rolls 31 February over into March; a real date comes back unchanged.
  if (new Date(local).getUTCDate() !== t.day) return undefined;
  return new Date(local - offsetMinutes * 60_000);
}

export function timeLabelFromDate(d: Date, offsetMinutes = CHINA_OFFSET_MINUTES): TimeLabel {
  const local = new Date(d.getTime() + offsetMinutes * 60_000);
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
  };
}
