import type { Identity } from '@firegov/auth';
import type { OutboxRelay } from '@firegov/events';
import { learningServices } from '../service/learning.ts';
import type { TrainingModels } from '../store/models.ts';

// The learning demo: the standard courses the training requirements name (责任人, 管理人, 网格员,
// 志愿消防队员) plus two topic courses, one question bank of real fire-safety questions, an exam per
// key-person course, and passed certificates for demo people p_demo_<n> (the people demo's ids: odd
// n a unit's 消防安全责任人, even n its 消防安全管理人). Every fifth certificate expires within 30
// days; people after p_demo_60 stay untrained. Certificates come from real attempts, taken on a
// demo clock in the past.

const MATERIALS = 'https://demo.firegov.example.cn/materials';

const lesson = (title: string, durationMinutes: number, summary: string, file?: string) => ({
  title,
  summary,
  durationMinutes,
  materials: file ? [{ title: `${title}（课件）`, url: `${MATERIALS}/${file}` }] : [],
});

export const DEMO_COURSES = [
  {
    id: 'course_responsible_person',
    course: {
      title: '消防安全责任人专门培训',
      topic: 'safety_management',
      summary: '依据《消防法》和61号令，讲解单位消防安全责任人的职责、消防安全责任制和年度消防工作计划。',
      lessons: [
        lesson(
          '消防安全责任制',
          45,
          '单位主要负责人是本单位的消防安全责任人，对本单位消防安全工作全面负责。',
          'responsibility.pdf',
        ),
        lesson('消防法律法规要点', 40, '《消防法》第十六条、第十七条规定的单位消防安全职责和重点单位职责。', 'law.pdf'),
        lesson('火灾事故案例警示', 30, '近年典型火灾事故的原因分析与责任追究。'),
      ],
    },
  },
  {
    id: 'course_safety_manager',
    course: {
      title: '消防安全管理人专门培训',
      topic: 'safety_management',
      summary: '防火巡查检查、火灾隐患整改、消防设施维护管理、灭火和应急疏散预案的组织实施。',
      lessons: [
        lesson('防火巡查与防火检查', 45, '重点单位每日防火巡查，公众聚集场所营业期间每2小时巡查一次。', 'patrol.pdf'),
        lesson('消防设施维护管理', 40, '建筑消防设施每年至少检测一次，保持完好有效。', 'facilities.pdf'),
        lesson('灭火和应急疏散预案与演练', 35, '重点单位至少每半年组织一次演练，其他单位至少每年一次。'),
      ],
    },
  },
  {
    id: 'course_grid_manager',
    course: {
      title: '网格员消防安全培训',
      topic: 'fire_law',
      summary: '网格员入户排查、敲门行动和隐患上报要点。',
      lessons: [
        lesson('入户排查要点', 30, '电气线路、燃气灶具、电动自行车停放充电、疏散通道。'),
        lesson('隐患上报与跟踪', 20, '发现隐患及时上报并跟踪整改。'),
      ],
    },
  },
  {
    id: 'course_village_team',
    course: {
      title: '村（社区）志愿消防队员训练',
      topic: 'initial_firefighting',
      summary: '初起火灾扑救、消防器材使用和人员疏散。',
      lessons: [
        lesson('灭火器和室内消火栓的使用', 40, '提、拔、握、压；对准火焰根部喷射。', 'extinguisher.mp4'),
        lesson('初起火灾扑救战术', 40, '先控制、后消灭；救人第一。'),
      ],
    },
  },
  {
    id: 'course_electrical_fire',
    course: {
      title: '电气火灾防范',
      topic: 'electrical_fire',
      summary: '电气线路老化、私拉乱接、电动自行车违规充电等常见电气火灾原因与防范。',
      lessons: [
        lesson('电气火灾成因', 30, '过载、短路、接触不良、漏电。'),
        lesson('电动自行车安全', 25, '严禁在楼道、安全出口和室内停放充电。'),
      ],
    },
  },
  {
    id: 'course_evacuation',
    course: {
      title: '疏散逃生与自救互救',
      topic: 'evacuation',
      summary: '火场逃生的正确方法和公众聚集场所的疏散引导。',
      lessons: [
        lesson('火场逃生方法', 30, '低姿弯腰、湿毛巾捂住口鼻，不乘坐电梯。'),
        lesson('疏散引导', 25, '公众聚集场所员工应会组织引导在场人员疏散。'),
      ],
    },
  },
] as const;

const single = (stem: string, options: string[], correct: number, explanation?: string) => ({
  type: 'single',
  stem,
  options: options.map((text, i) => ({ text, correct: i === correct })),
  ...(explanation ? { explanation } : {}),
});
const multiple = (stem: string, options: string[], correct: number[]) => ({
  type: 'multiple',
  stem,
  options: options.map((text, i) => ({ text, correct: correct.includes(i) })),
});
const judge = (stem: string, isTrue: boolean) => ({
  type: 'true_false',
  stem,
  options: [
    { text: '正确', correct: isTrue },
    { text: '错误', correct: !isTrue },
  ],
});

export const DEMO_QUESTIONS = [
  single('火警电话是多少？', ['110', '119', '120', '122'], 1),
  single(
    '机关、团体、企业、事业等单位的消防安全责任人是：',
    ['单位的主要负责人', '单位的保卫部门负责人', '单位的专职消防员', '当地派出所所长'],
    0,
  ),
  single('公众聚集场所在营业期间的防火巡查应当至少每几小时一次？', ['1小时', '2小时', '4小时', '8小时'], 1, '61号令第二十五条'),
  single(
    '消防安全重点单位应当至少每多长时间组织一次灭火和应急疏散演练？',
    ['每季度', '每半年', '每年', '每两年'],
    1,
    '61号令第四十条',
  ),
  single('使用手提式干粉灭火器扑救初起火灾时，应对准：', ['火焰顶部', '火焰中部', '火焰根部', '烟雾最浓处'], 2),
  single(
    '发生火灾时，以下逃生方法正确的是：',
    ['乘坐电梯迅速下楼', '用湿毛巾捂住口鼻，低姿沿疏散通道撤离', '返回室内取贵重物品', '从高楼层直接跳下'],
    1,
  ),
  single('电器设备发生火灾时，首先应当：', ['用水扑救', '切断电源', '打开门窗通风', '用湿棉被覆盖'], 1),
  multiple('下列属于消防设施的有：', ['火灾自动报警系统', '室内消火栓系统', '自动喷水灭火系统', '办公桌椅'], [0, 1, 2]),
  multiple(
    '单位消防安全“四个能力”建设包括：',
    ['检查消除火灾隐患能力', '扑救初起火灾能力', '组织疏散逃生能力', '消防宣传教育培训能力'],
    [0, 1, 2, 3],
  ),
  multiple(
    '防火巡查的内容包括：',
    ['用火、用电有无违章情况', '安全出口、疏散通道是否畅通', '消防设施、器材是否在位完整', '员工考勤情况'],
    [0, 1, 2],
  ),
  multiple(
    '电动自行车的下列做法中，属于违规的有：',
    ['在楼道内停放充电', '在安全出口处停放', '私拉电线“飞线充电”', '在集中充电场所充电'],
    [0, 1, 2],
  ),
  judge('任何单位和个人都有参加有组织的灭火工作的义务。', true),
  judge('单位可以在营业期间锁闭安全出口，以防止顾客逃单。', false),
  judge('发现火灾隐患后，单位应当立即改正；不能立即改正的，应当制定整改方案并落实防范措施。', true),
  judge('家用燃气泄漏时，应立即开灯查看泄漏位置。', false),
  judge('消防车通道可以临时停放车辆，只要司机在车上即可。', false),
];

export interface LearningDemoSummary {
  courses: number;
  questions: number;
  certificates: number;
  expiringSoon: number;
  skipped: boolean;
}

const DAY = 86_400_000;

/** Loads the learning demo once (skipped when its first course exists). */
export async function loadLearningDemo(opts: {
  models: TrainingModels;
  relay: OutboxRelay;
  countyCode: string;
  /** The demo's "today"; certificates are dated back from it. */
  now?: Date;
  /** How many demo people (p_demo_1 …) hold certificates. */
  certifiedPeople?: number;
}): Promise<LearningDemoSummary> {
  if (await opts.models.courses.exists({ _id: DEMO_COURSES[0].id })) {
    return { courses: 0, questions: 0, certificates: 0, expiringSoon: 0, skipped: true };
  }
  const today = opts.now ?? new Date();
  let clock = today;
  const s = learningServices({ models: opts.models, relay: opts.relay, now: () => clock });
  const admin: Identity = { subject: 'demo-loader', role: 'county_admin', jurisdiction: opts.countyCode, name: '演示数据' };

  // Content is dated a year and a half back, so the oldest certificate has its course and exam.
  clock = new Date(today.getTime() - 540 * DAY);
  for (const c of DEMO_COURSES) await s.courses.ensure(admin, c.id, c.course);
  const bank = await s.questionBanks.create(admin, {
    title: '消防安全知识题库',
    topic: 'safety_management',
    questions: DEMO_QUESTIONS,
  });
  const key = new Map(bank.questions.map((q) => [q.id, q.options.filter((o) => o.correct).map((o) => o.key)]));
  const exams = new Map<string, string>();
  for (const courseId of ['course_responsible_person', 'course_safety_manager']) {
    const course = DEMO_COURSES.find((c) => c.id === courseId);
    const exam = await s.exams.define(admin, {
      title: `${course?.course.title ?? courseId}考试`,
      bankId: bank._id,
      courseId,
      questionCount: 10,
      timeLimitMinutes: 30,
      passMarkPercent: 80,
    });
    exams.set(courseId, exam._id);
  }

  let certificates = 0;
  let expiringSoon = 0;
  const people = opts.certifiedPeople ?? 60;
  for (let n = 1; n <= people; n += 1) {
    const courseId = n % 2 === 1 ? 'course_responsible_person' : 'course_safety_manager';
    // Every fifth expires within 30 days (passed 11 months and a bit ago); the rest 1-10 months ago.
    const soon = n % 5 === 0;
    const daysAgo = soon ? 340 + (n % 20) : 30 + ((n * 37) % 270);
    clock = new Date(today.getTime() - daysAgo * DAY);
    const attempt = await s.exams.start(admin, { examId: exams.get(courseId), personId: `p_demo_${n}` });
    for (const [i, q] of attempt.paper.entries()) {
      // One wrong answer in two of every three papers: scores of 90 and 100.
      const right = key.get(q.id) ?? [];
      const choice = i === 0 && n % 3 !== 0 ? [q.options.find((o) => !right.includes(o.key))?.key ?? 'A'] : right;
      await s.exams.answer(admin, { attemptId: attempt._id, questionId: q.id, choice });
    }
    clock = new Date(clock.getTime() + 20 * 60_000);
    const graded = await s.exams.submit(admin, attempt._id);
    if (graded.passed) {
      certificates += 1;
      if (soon) expiringSoon += 1;
    }
  }
  return { courses: DEMO_COURSES.length, questions: DEMO_QUESTIONS.length, certificates, expiringSoon, skipped: false };
}
