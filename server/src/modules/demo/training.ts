import type { TrainingSubject } from '../../../../shared/contracts/training.js';
import { addDays, chinaDayOf, daysBetween } from '../../../../shared/domain/calendar-days.js';
import type { Store } from '../../db/store.js';
import { Random } from './random.js';

/**
 * A modest training history for the demo county (issue 16 part 3): two county courses per subject
 * of the paper's six, each held once online by the county in the year up to the demo's asOf, three
 * offline sessions per town, and attendance drawn so that some workers meet the yearly hours and
 * many are behind (the paper: few are trained). Training rows name who made them (`created_by`), so
 * this runs once the demo users exist: `seedDemoUsers` calls it, on either store, after the county
 * grid office's account is made. Runs once: a database holding any course is left alone. Its own
 * random stream (the demo seed with `training`), so the same seed gives the same history.
 */

const COURSES: ReadonlyArray<[TrainingSubject, string, string]> = [
  ['party_building', '新时代基层党建知识', '党建引领基层治理专题'],
  ['policy_law', '基层社会治理政策解读', '常用法律法规与矛盾纠纷调解'],
  ['business', '网格事件采集与上报规范', '入格事项清单与处置流程'],
  ['ethics', '网格员职业操守与群众纪律', '个人信息保护与保密要求'],
  ['system_operation', '网格智治指挥台移动端操作', '事件闭环与督办系统操作'],
  ['general_quality', '应急处置与安全常识', '沟通表达与群众工作方法'],
];
/** The towns' own sessions: offline, on the subjects closest to the daily work. */
const TOWN_COURSES = [4, 8, 11] as const;
const COURSE_HOURS = 3;
const TOWN_HOURS = 2;
/** How keen a worker is: share of workers, and the chance they attend a session they could. */
const TIERS: ReadonlyArray<[number, number]> = [
  [0.35, 0.92],
  [0.4, 0.5],
  [0.25, 0.15],
];
const BATCH = 150;

async function insertMany(store: Store, head: string, width: number, rows: unknown[][]): Promise<void> {
  const row = `(${new Array(width).fill('?').join(', ')})`;
  for (let i = 0; i < rows.length; i += BATCH) {
    const part = rows.slice(i, i + BATCH);
    await store.run(`${head} VALUES ${part.map(() => row).join(', ')} ON CONFLICT DO NOTHING`, ...part.flat());
  }
}

const at = (day: string, hour: number) => new Date(`${day}T${String(hour).padStart(2, '0')}:00:00+08:00`).toISOString();

/** Seeds the demo's training history once; returns the attendance rows written (0 when it did nothing). */
export async function seedDemoTraining(store: Store): Promise<number> {
  if (await store.get('SELECT 1 AS one FROM training_courses LIMIT 1')) return 0;
  const office = await store.get<{ id: string }>("SELECT id FROM users WHERE username = 'demo-gridoffice'");
  const options = await store.get<{ value: string }>("SELECT value FROM meta WHERE key = 'demo_options'");
  if (!office || !options) return 0;
  const { asOf: asOfText, seed } = JSON.parse(options.value) as { asOf: string; seed: number };
  const asOf = chinaDayOf(new Date(asOfText));
  // the year up to asOf; early in a year, the whole year before
  const year = Number(asOf.slice(0, 4)) - (Number(asOf.slice(5, 7)) < 3 ? 1 : 0);
  const first = `${year}-01-10`;
  const last = year < Number(asOf.slice(0, 4)) ? `${year}-12-20` : addDays(asOf, -1);
  const span = Math.max(1, daysBetween(first, last));
  const dayAt = (fraction: number) => addDays(first, Math.floor(fraction * span));
  const rng = new Random(seed, 'training');
  const by = office.id;

  const towns = await store.all<{ id: string; name: string }>("SELECT id, name FROM regions WHERE level = 'town' ORDER BY code, id");
  const workers = await store.all<{ id: string; town_id: string; started_on: string | null }>(
    `SELECT w.id, t.id AS town_id, w.started_on
       FROM workers w JOIN regions g ON g.id = w.grid_id JOIN regions v ON v.id = g.parent_id JOIN regions t ON t.id = v.parent_id
      WHERE w.status <> 'left' ORDER BY w.id`,
  );

  const courses = COURSES.flatMap(([subject, a, b], i) => [
    { id: `TC-DEMO-${String(2 * i + 1).padStart(2, '0')}`, subject, title: a },
    { id: `TC-DEMO-${String(2 * i + 2).padStart(2, '0')}`, subject, title: b },
  ]);
  const sessions: Array<{ id: string; courseId: string; mode: 'online' | 'offline'; townId: string | null; heldOn: string; place: string; trainer: string; hours: number }> = [];
  courses.forEach((c, i) => {
    sessions.push({ id: `TS-DEMO-C${String(i + 1).padStart(2, '0')}`, courseId: c.id, mode: 'online', townId: null, heldOn: dayAt((i + 0.5) / courses.length), place: '县网格学院线上课堂', trainer: '县网格办', hours: COURSE_HOURS });
  });
  towns.forEach((t, ti) => {
    TOWN_COURSES.forEach((ci, k) => {
      sessions.push({ id: `TS-DEMO-T${String(ti + 1).padStart(2, '0')}-${k + 1}`, courseId: courses[ci]!.id, mode: 'offline', townId: t.id, heldOn: dayAt((k + 0.3 + rng.range(0, 0.5)) / TOWN_COURSES.length), place: `${t.name}便民服务中心会议室`, trainer: `${t.name}网格办`, hours: TOWN_HOURS });
    });
  });

  const keen = new Map(workers.map((w) => [w.id, TIERS[rng.weightedIndex(TIERS.map(([share]) => share))]![1]]));
  const attendance: unknown[][] = [];
  for (const s of sessions) {
    for (const w of workers) {
      if (s.townId !== null && w.town_id !== s.townId) continue;
      if (w.started_on !== null && w.started_on > s.heldOn) continue;
      if (!rng.chance(keen.get(w.id)!)) continue;
      const hours = rng.chance(0.1) ? s.hours - 1 : s.hours;
      const passed = s.mode === 'online' ? (rng.chance(0.93) ? 1 : 0) : null;
      attendance.push([s.id, w.id, hours, passed, by, at(s.heldOn, 18)]);
    }
  }

  // a certificate for each worker who passed both system-operation courses online (操作合格证)
  const passedOps = new Map<string, string[]>();
  for (const [sessionId, workerId, , passed] of attendance as Array<[string, string, number, number | null]>) {
    if (passed === 1 && (sessionId === 'TS-DEMO-C09' || sessionId === 'TS-DEMO-C10')) passedOps.set(workerId, [...(passedOps.get(workerId) ?? []), sessionId]);
  }
  const certificates = [...passedOps].filter(([, s]) => s.length === 2).map(([workerId, s], i) => {
    const session = sessions.find((x) => x.id === s[1])!;
    return [`CE-DEMO-${String(i + 1).padStart(5, '0')}`, workerId, '网格智治指挥台操作合格证', `WGZZ-${year}-${String(i + 1).padStart(5, '0')}`, session.heldOn, session.id, by, at(session.heldOn, 19)];
  });

  await store.inTransaction(async () => {
    await insertMany(store, 'INSERT INTO training_courses (id, subject, title, hours, created_by, created_at)', 6, courses.map((c) => [c.id, c.subject, c.title, COURSE_HOURS, by, at(first, 9)]));
    await insertMany(
      store,
      'INSERT INTO training_sessions (id, course_id, mode, town_id, held_on, place, trainer, hours, created_by, created_at)',
      10,
      sessions.map((s) => [s.id, s.courseId, s.mode, s.townId, s.heldOn, s.place, s.trainer, s.hours, by, at(addDays(s.heldOn, -7), 9)]),
    );
    await insertMany(store, 'INSERT INTO training_attendance (session_id, worker_id, hours, passed, recorded_by, recorded_at)', 6, attendance);
    await insertMany(store, 'INSERT INTO worker_certificates (id, worker_id, title, number, issued_on, session_id, created_by, created_at)', 8, certificates);
  });
  return attendance.length;
}
