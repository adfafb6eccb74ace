import { defineEnum } from './define-enum.ts';

// Keys are stored and sent over the API, so they never change; labels may be reworded freely.
export const UnitCategory = defineEnum({
  high_rise: { zh: '高层建筑', en: 'High-rise building' },
  large_commercial_complex: { zh: '大型商业综合体', en: 'Large commercial complex' },
  petrochemical: { zh: '石油化工企业', en: 'Petrochemical enterprise' },
  heritage_building: { zh: '文物古建筑', en: 'Cultural heritage or historic building' },
  factory: { zh: '厂房', en: 'Factory building' },
  warehouse: { zh: '库房', en: 'Warehouse' },
  business_self_built_house: { zh: '经营性自建房', en: 'Self-built house used for business' },
  rural_self_built_house: { zh: '村居自建房', en: 'Rural self-built house' },
  group_rental: { zh: '群租房', en: 'Group rental housing' },
  three_in_one: { zh: '三合一场所', en: 'Three-in-one premises (living, production and storage combined)' },
  school: { zh: '学校', en: 'School' },
  kindergarten: { zh: '幼儿园', en: 'Kindergarten' },
  internet_cafe: { zh: '网吧', en: 'Internet café' },
  elderly_care: { zh: '福利院/养老机构', en: 'Welfare home or elderly care institution' },
  medical: { zh: '医疗机构', en: 'Medical institution' },
  training_institution: { zh: '教育培训机构', en: 'Education and training institution' },
  underground_works: { zh: '地下工程', en: 'Underground structure' },
  recycling: { zh: '再生资源回收', en: 'Recyclable materials collection' },
  logistics: { zh: '现代物流', en: 'Modern logistics' },
  escape_room: { zh: '密室逃脱', en: 'Escape room' },
  esports_hotel: { zh: '电竞酒店', en: 'Esports hotel' },
  hotel: { zh: '宾馆', en: 'Hotel' },
  restaurant: { zh: '餐馆', en: 'Restaurant' },
  supermarket: { zh: '商超', en: 'Shop or supermarket' },
  tourist_site: { zh: '旅游景点', en: 'Tourist attraction' },
  hazardous_explosives: { zh: '危爆物品', en: 'Hazardous chemicals and explosives' },
  fireworks: { zh: '烟花爆竹', en: 'Fireworks and firecrackers' },
  industry_trade: { zh: '工贸企业', en: 'Industrial and trade enterprise' },
  small_venue: { zh: '小单位/小场所', en: 'Small business or small venue' },
  construction_site: { zh: '施工现场', en: 'Construction site' },
  other: { zh: '其他', en: 'Other' },
});

export type UnitCategory = (typeof UnitCategory.values)[number];
