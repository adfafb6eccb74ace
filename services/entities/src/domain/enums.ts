import { defineEnum } from '@firegov/contracts';

// Keys are stored and sent over the API, so they never change; labels may be reworded freely.

// Decides which height threshold of GB 50016 applies (27 m for dwellings, 24 m otherwise).
export const BuildingUse = defineEnum({
  residential: { zh: '住宅', en: 'Residential' },
  public: { zh: '公共建筑', en: 'Public building' },
  industrial: { zh: '厂房/仓库', en: 'Factory or warehouse' },
  mixed: { zh: '商住混合', en: 'Mixed commercial and residential' },
});
export type BuildingUse = (typeof BuildingUse.values)[number];

// 公示承诺: the responsible person signs a fire-safety pledge, then posts it where the public can see it.
export const CommitmentStatus = defineEnum({
  none: { zh: '未承诺', en: 'No commitment' },
  signed: { zh: '已签订', en: 'Signed' },
  posted: { zh: '已公示', en: 'Signed and posted' },
});
export type CommitmentStatus = (typeof CommitmentStatus.values)[number];

export const Vulnerability = defineEnum({
  empty_nest_elderly: { zh: '空巢老人', en: 'Elderly person living alone' },
  left_behind_child: { zh: '留守儿童', en: 'Left-behind child' },
  elderly_weak_sick_disabled: { zh: '老弱病残', en: 'Elderly, frail, sick or disabled person' },
});
export type Vulnerability = (typeof Vulnerability.values)[number];

// Devices the seed plan hands out to vulnerable households.
export const PreventionDevice = defineEnum({
  smoke_detector: { zh: '独立式感烟探测器', en: 'Standalone smoke detector' },
  simple_sprinkler: { zh: '简易喷淋', en: 'Simple sprinkler' },
  electrical_fire_monitor: { zh: '电气火灾监控', en: 'Electrical fire monitor' },
  leakage_protector: { zh: '漏电保护装置', en: 'Residual-current protector' },
});
export type PreventionDevice = (typeof PreventionDevice.values)[number];

export const FireTeamKind = defineEnum({
  full_time: { zh: '专职消防队', en: 'Full-time fire team' },
  part_time: { zh: '兼职消防队', en: 'Part-time fire team' },
  micro_station: { zh: '微型消防站', en: 'Micro fire station' },
  specialist_rescue: { zh: '专业救援力量', en: 'Specialist rescue force' },
});
export type FireTeamKind = (typeof FireTeamKind.values)[number];

export const MicroStationType = defineEnum({
  key_unit: { zh: '消防安全重点单位微型消防站', en: 'Micro fire station of a key unit' },
  community: { zh: '社区（村）微型消防站', en: 'Community or village micro fire station' },
});

export const TownshipTeamClass = defineEnum({
  class1: { zh: '一级乡镇专职消防队', en: 'Township full-time team, class 1' },
  class2: { zh: '二级乡镇专职消防队', en: 'Township full-time team, class 2' },
  volunteer: { zh: '乡镇志愿消防队', en: 'Township volunteer team' },
});

// Seed task 13: 专业救援力量 by what they are trained and equipped for.
export const RescueSpeciality = defineEnum({
  forest_fire: { zh: '森林灭火', en: 'Forest firefighting' },
  water_rescue: { zh: '水上救援', en: 'Water rescue' },
  mountain_rescue: { zh: '山岳救援', en: 'Mountain rescue' },
  hazmat: { zh: '危化品处置', en: 'Hazardous materials' },
  earthquake_rescue: { zh: '地震救援', en: 'Earthquake rescue' },
  other: { zh: '其他专业救援', en: 'Other specialist rescue' },
});

// Status of an entry in a department's 责任清单 or 任务清单.
export const ListItemStatus = defineEnum({
  pending: { zh: '未开始', en: 'Not started' },
  in_progress: { zh: '进行中', en: 'In progress' },
  done: { zh: '已完成', en: 'Done' },
  overdue: { zh: '已逾期', en: 'Overdue' },
});
export type ListItemStatus = (typeof ListItemStatus.values)[number];

// The four-colour levels of 分级分类 supervision live in contracts: inspections schedules by them.
export { RiskGrade } from '@firegov/contracts';
