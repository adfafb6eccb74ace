import type { TimeLabel } from './time-label.ts';

// The frame header's types, apart from the codec so errors can name a header without importing it.

/**
 * A 6-byte address, low byte first [S]. Its content is not defined by the standard: most devices send
 * a numeric id as a 48-bit LE integer [I], Hikvision/Dahua the last 12 SN digits as big-endian hex
 * nibbles [V]. `hex` (the wire bytes in order) identifies a UITD either way; `value` is the LE reading.
 */
export interface Address {
  hex: string;
  value: number;
}

/** 控制单元: the 25 header bytes after the start characters. */
export interface ControlUnit {
  /** 业务流水号: owned by the side that starts an exchange; the answer copies it. */
  serial: number;
  /** 协议主版本号 (1). */
  version: number;
  /** 用户版本号: user-defined, never refused. */
  userVersion: number;
  /** 时间标签: when the packet was sent, device-local time. */
  time: TimeLabel;
  source: Address;
  destination: Address;
  aduLength: number;
  command: number;
}
