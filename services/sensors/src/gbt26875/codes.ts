// Code tables of GB/T 26875.3-2011 (fact sheet §4, all [S]). Pure data plus the bit-field readers.
// Values missing from a table are reserved (or, from 128, user-defined): callers keep the number.

export interface CodeLabel {
  zh: string;
  en: string;
}

/** 系统类型: the kind of building fire facility 建筑消防设施 a system address belongs to. */
export const SYSTEM_TYPES: Readonly<Record<number, CodeLabel>> = {
  0: { zh: '通用', en: 'general' },
  1: { zh: '火灾报警系统', en: 'fire alarm system' },
  10: { zh: '消防联动控制器', en: 'fire linkage controller' },
  11: { zh: '消火栓系统', en: 'fire hydrant system' },
  12: { zh: '自动喷水灭火系统', en: 'automatic sprinkler system' },
  13: { zh: '气体灭火系统', en: 'gas extinguishing system' },
  14: { zh: '水喷雾灭火系统(泵启动方式)', en: 'water spray, pump-started' },
  15: { zh: '水喷雾灭火系统(压力容器启动方式)', en: 'water spray, pressure-vessel started' },
  16: { zh: '泡沫灭火系统', en: 'foam extinguishing system' },
  17: { zh: '干粉灭火系统', en: 'dry powder extinguishing system' },
  18: { zh: '防烟排烟系统', en: 'smoke control and exhaust system' },
  19: { zh: '防火门及卷帘系统', en: 'fire doors and shutters' },
  20: { zh: '消防电梯', en: 'fire elevator' },
  21: { zh: '消防应急广播', en: 'emergency broadcast' },
  22: { zh: '消防应急照明和疏散指示系统', en: 'emergency lighting and evacuation signs' },
  23: { zh: '消防电源', en: 'fire power supply' },
  24: { zh: '消防电话', en: 'fire telephone' },
};

/** 部件类型 */
export const COMPONENT_TYPES: Readonly<Record<number, CodeLabel>> = {
  0: { zh: '通用', en: 'general' },
  1: { zh: '火灾报警控制器', en: 'fire alarm control panel' },
  10: { zh: '可燃气体探测器', en: 'combustible gas detector' },
  11: { zh: '点型可燃气体探测器', en: 'point combustible gas detector' },
  12: { zh: '独立式可燃气体探测器', en: 'stand-alone combustible gas detector' },
  13: { zh: '线型可燃气体探测器', en: 'line combustible gas detector' },
  16: { zh: '电气火灾监控报警器', en: 'electrical fire monitoring alarm unit' },
  17: { zh: '剩余电流式电气火灾监控探测器', en: 'residual-current electrical fire detector' },
  18: { zh: '测温式电气火灾监控探测器', en: 'temperature-sensing electrical fire detector' },
  21: { zh: '探测回路', en: 'detection loop' },
  22: { zh: '火灾显示盘', en: 'fire display panel' },
  23: { zh: '手动火灾报警按钮', en: 'manual call point' },
  24: { zh: '消火栓按钮', en: 'hydrant button' },
  25: { zh: '火灾探测器', en: 'fire detector' },
  30: { zh: '感温火灾探测器', en: 'heat detector' },
  31: { zh: '点型感温火灾探测器', en: 'point heat detector' },
  32: { zh: '点型感温火灾探测器(S型)', en: 'point heat detector, S type' },
  33: { zh: '点型感温火灾探测器(R型)', en: 'point heat detector, R type' },
  34: { zh: '线型感温火灾探测器', en: 'line heat detector' },
  35: { zh: '线型感温火灾探测器(S型)', en: 'line heat detector, S type' },
  36: { zh: '线型感温火灾探测器(R型)', en: 'line heat detector, R type' },
  37: { zh: '光纤感温火灾探测器', en: 'optical-fibre heat detector' },
  40: { zh: '感烟火灾探测器', en: 'smoke detector' },
  41: { zh: '点型离子感烟火灾探测器', en: 'point ionisation smoke detector' },
  42: { zh: '点型光电感烟火灾探测器', en: 'point photoelectric smoke detector' },
  43: { zh: '线型光束感烟火灾探测器', en: 'linear beam smoke detector' },
  44: { zh: '吸气式感烟火灾探测器', en: 'aspirating smoke detector' },
  50: { zh: '复合式火灾探测器', en: 'multi-sensor detector' },
  51: { zh: '复合式感烟感温火灾探测器', en: 'smoke and heat detector' },
  52: { zh: '复合式感光感温火灾探测器', en: 'flame and heat detector' },
  53: { zh: '复合式感光感烟火灾探测器', en: 'flame and smoke detector' },
  61: { zh: '紫外火焰探测器', en: 'UV flame detector' },
  62: { zh: '红外火焰探测器', en: 'IR flame detector' },
  69: { zh: '感光火灾探测器', en: 'optical (flame) fire detector' },
  74: { zh: '气体探测器', en: 'gas detector' },
  78: { zh: '图像摄像方式火灾探测器', en: 'video fire detector' },
  79: { zh: '感声火灾探测器', en: 'acoustic fire detector' },
  81: { zh: '气体灭火控制器', en: 'gas extinguishing controller' },
  82: { zh: '消防电气控制装置', en: 'fire electrical control unit' },
  83: { zh: '消防控制室图形显示装置', en: 'fire control room graphic display' },
  84: { zh: '模块', en: 'module' },
  85: { zh: '输入模块', en: 'input module' },
  86: { zh: '输出模块', en: 'output module' },
  87: { zh: '输入/输出模块', en: 'input/output module' },
  88: { zh: '中继模块', en: 'relay module' },
  91: { zh: '消防水泵', en: 'fire pump' },
  92: { zh: '消防水箱', en: 'fire water tank' },
  95: { zh: '喷淋泵', en: 'sprinkler pump' },
  96: { zh: '水流指示器', en: 'water flow indicator' },
  97: { zh: '信号阀', en: 'signal valve' },
  98: { zh: '报警阀', en: 'alarm valve' },
  99: { zh: '压力开关', en: 'pressure switch' },
  101: { zh: '阀驱动装置', en: 'valve actuator' },
  102: { zh: '防火门', en: 'fire door' },
  103: { zh: '防火阀', en: 'fire damper' },
  104: { zh: '通风空调', en: 'ventilation and air-conditioning' },
  105: { zh: '泡沫液泵', en: 'foam pump' },
  106: { zh: '管网电磁阀', en: 'pipe-network solenoid valve' },
  111: { zh: '防烟排烟风机', en: 'smoke control fan' },
  113: { zh: '排烟防火阀', en: 'smoke exhaust fire damper' },
  114: { zh: '常闭送风口', en: 'normally-closed air supply outlet' },
  115: { zh: '排烟口', en: 'smoke exhaust outlet' },
  116: { zh: '电控挡烟垂壁', en: 'electric smoke curtain' },
  117: { zh: '防火卷帘控制器', en: 'fire shutter controller' },
  118: { zh: '防火门监控器', en: 'fire door monitor' },
  121: { zh: '警报装置', en: 'alarm sounder' },
};

// Bit fields, bit 0 first. `normal` is bit0: 1 = normal running 正常运行, 0 = test 测试; devices often
// leave it 0 while reporting real alarms (fact sheet §5 deviation 1), so nothing here keys on it.

/** 系统状态 (type 1). Bit 5 is 1 = started/open 启动(开启); bit 11 is 1 = manual 手动, 0 = automatic. */
export const SYSTEM_STATE_BITS = [
  'normal',
  'fire',
  'fault',
  'shielded',
  'supervisory',
  'started',
  'feedback',
  'delay',
  'mainPowerFault',
  'backupPowerFault',
  'busFault',
  'manual',
  'configurationChanged',
  'reset',
] as const;

/** 部件状态 (type 2): bits 0-7 as the system state, bit 8 power fault 电源故障. */
export const COMPONENT_STATE_BITS = [
  'normal',
  'fire',
  'fault',
  'shielded',
  'supervisory',
  'started',
  'feedback',
  'delay',
  'powerFault',
] as const;

/** 用户信息传输装置运行状态 (type 21). Bit 0: 1 = normal monitoring 正常监视, 0 = test. */
export const UITD_STATE_BITS = [
  'normal',
  'fire',
  'fault',
  'mainPowerFault',
  'backupPowerFault',
  'centreLinkFault',
  'monitoredLineFault',
] as const;

/** 操作标志 of a facility (type 4). */
export const FACILITY_OPERATION_BITS = [
  'reset',
  'silence',
  'manualAlarm',
  'alarmCleared',
  'selfTest',
  'acknowledge',
  'test',
] as const;

/** 操作标志 of a UITD (type 24): bit 5 is the answer to a check-post 查岗应答 instead of acknowledge. */
export const UITD_OPERATION_BITS = [
  'reset',
  'silence',
  'manualAlarm',
  'alarmCleared',
  'selfTest',
  'checkPostAnswer',
  'test',
] as const;

export type Flags<B extends readonly string[]> = Record<B[number], boolean>;
export type SystemStateFlags = Flags<typeof SYSTEM_STATE_BITS>;
export type ComponentStateFlags = Flags<typeof COMPONENT_STATE_BITS>;
export type UitdStateFlags = Flags<typeof UITD_STATE_BITS>;

export function flagsOf<B extends readonly string[]>(bits: B, value: number): Flags<B> {
  return Object.fromEntries(bits.map((name, i) => [name, (value & (1 << i)) !== 0])) as Flags<B>;
}

/** The bit field for `flags`; names left out are 0. */
export function valueOfFlags<B extends readonly string[]>(bits: B, flags: Partial<Flags<B>>): number {
  return bits.reduce((v, name: B[number], i) => (flags[name] ? v | (1 << i) : v), 0);
}

export interface AnalogType extends CodeLabel {
  unit: string;
  /** The value is the transmitted int16 divided by this (resolution 0.1 → 10). */
  divisor: number;
  min: number;
  max: number;
}

/** 模拟量类型 (type 3). */
export const ANALOG_TYPES: Readonly<Record<number, AnalogType>> = {
  1: { zh: '事件计数', en: 'event count', unit: '件', divisor: 1, min: 0, max: 32_000 },
  2: { zh: '高度', en: 'height', unit: 'm', divisor: 100, min: 0, max: 320 },
  3: { zh: '温度', en: 'temperature', unit: '°C', divisor: 10, min: -273, max: 3_200 },
  4: { zh: '压力', en: 'pressure', unit: 'MPa', divisor: 10, min: 0, max: 3_200 },
  5: { zh: '压力', en: 'pressure', unit: 'kPa', divisor: 10, min: 0, max: 3_200 },
  6: { zh: '气体浓度', en: 'gas concentration', unit: '%LEL', divisor: 10, min: 0, max: 100 },
  7: { zh: '时间', en: 'time', unit: 's', divisor: 1, min: 0, max: 32_000 },
  8: { zh: '电压', en: 'voltage', unit: 'V', divisor: 10, min: 0, max: 3_200 },
  9: { zh: '电流', en: 'current', unit: 'A', divisor: 10, min: 0, max: 3_200 },
  10: { zh: '流量', en: 'flow', unit: 'L/s', divisor: 10, min: 0, max: 3_200 },
  11: { zh: '风量', en: 'air volume', unit: 'm³/min', divisor: 10, min: 0, max: 3_200 },
  12: { zh: '风速', en: 'wind speed', unit: 'm/s', divisor: 1, min: 0, max: 20 },
};

/** The physical value of an analog reading, or undefined for reserved and user-defined types. */
export function analogValue(analogType: number, raw: number): { value: number; unit: string; inRange: boolean } | undefined {
  const t = ANALOG_TYPES[analogType];
  if (!t) return undefined;
  const value = raw / t.divisor;
  return { value, unit: t.unit, inRange: value >= t.min && value <= t.max };
}
