// The worked frames E1-E5 of the fact sheet (/work/shared/standards/GBT26875.3-2011.md §6), byte for byte.

export const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

/** Fire alarm, point photoelectric smoke detector (type 2), serial 300. */
export const E1 = hex(`40 40 2C 01 01 00 06 17 0E 0F 03 18 56 34 12 00 00 00 01 00 00 00 00 00 30 00 02
02 01 01 01 2A 19 00 03 00 03 00 C8 FD B2 E3 D7 DF C0 C8 00 00 00 00 00 00 00 00
00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 05 17 0E 0F 03 18 8C 23 23`);

/** Fault, point heat detector (type 2), serial 301. */
export const E2 = hex(`40 40 2D 01 01 00 01 1E 0E 0F 03 18 56 34 12 00 00 00 01 00 00 00 00 00 30 00 02
02 01 01 01 1F 1A 00 03 00 05 00 B6 FE B2 E3 BB FA B7 BF 00 00 00 00 00 00 00 00
00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 1E 0E 0F 03 18 65 23 23`);

/** System state (type 1), serial 302: `23` in the header and `23 23` in the ADU before the real end. */
export const E3 = hex(`40 40 2E 01 01 00 24 23 0E 0F 03 18 56 34 12 00 00 00 01 00 00 00 00 00 0C 00 02
01 01 01 01 01 01 23 23 0E 0F 03 18 DE 23 23`);

/** UITD running state (type 21), serial 303. */
export const E4 = hex(`40 40 2F 01 01 00 01 28 0E 0F 03 18 56 34 12 00 00 00 01 00 00 00 00 00 09 00 02
15 01 11 00 28 0E 0F 03 18 C1 23 23`);

/** The centre's confirm of E1. */
export const E5 = hex('40 40 2C 01 01 00 07 17 0E 0F 03 18 01 00 00 00 00 00 56 34 12 00 00 00 00 00 03 24 23 23');
/** The deny of E1: differs from E5 only in command and checksum. */
export const E5_DENY = hex('40 40 2C 01 01 00 07 17 0E 0F 03 18 01 00 00 00 00 00 56 34 12 00 00 00 00 00 06 27 23 23');

export const UITD_HEX = '563412000000';
export const CENTRE_HEX = '010000000000';
