// exceljs takes ~0.2 s to load: loaded on the first spreadsheet, not at every server start
import { TRAINING_SUBJECTS, type TrainingProgressResponse, type TrainingTotals } from '../../../../shared/contracts/training.js';
import { TRAINING_SUBJECT_LABELS } from '../../../../shared/domain/labels.js';
import { notesSheet, tableSheet, type ColumnSpec } from '../kpi/kpi-xlsx.js';

/**
 * The training progress of a year as a workbook (as kpi-xlsx.ts does the evaluation tables):
 * numeric cells, Chinese headers frozen at the top, one row per worker, the towns' totals, notes.
 */

const HOURS = '0.0#';
const COUNT = '0';
const RATE = '0.0%';
const EMPLOYMENT = { full_time: '专职', part_time: '兼职' } as const;
const STATUS = { active: '在岗', on_leave: '请假', left: '离职' } as const;


const subjectColumns = (): ColumnSpec[] => TRAINING_SUBJECTS.map((s) => ({ header: `${TRAINING_SUBJECT_LABELS[s]['zh-CN']}（学时）`, width: 11, numFmt: HOURS }));
const totalsCells = (t: TrainingTotals) => [t.workers, ...TRAINING_SUBJECTS.map((s) => t.bySubject[s]), t.hours, t.averageHours, t.met, t.behind, t.metShare === null ? null : t.metShare / 100, t.certificates];

export async function trainingWorkbook(input: { progress: TrainingProgressResponse; scope: string; generatedAt: string; center: string }): Promise<Buffer> {
  const { progress: p } = input;
  const wb = new (await import('exceljs')).default.Workbook();
  wb.creator = input.center;
  wb.created = new Date(input.generatedAt);
  wb.title = `${input.scope}${p.year}年网格员培训学时`;

  const workers = tableSheet(
    wb,
    '网格员学时',
    [
      { header: '镇街', width: 14 },
      { header: '网格', width: 22 },
      { header: '编号', width: 10 },
      { header: '姓名', width: 10 },
      { header: '专兼职', width: 8 },
      { header: '状态', width: 8 },
      ...subjectColumns(),
      { header: '合计学时', width: 10, numFmt: HOURS },
      { header: '年度要求（学时）', width: 10, numFmt: HOURS },
      { header: '是否未达标', width: 10 },
      { header: '尚差学时', width: 10, numFmt: HOURS },
      { header: '证书（张）', width: 10, numFmt: COUNT },
    ],
    4,
  );
  for (const w of p.workers) {
    workers.addRow([w.town.name, w.grid.name, w.workerId, w.name, EMPLOYMENT[w.employment], STATUS[w.status], ...TRAINING_SUBJECTS.map((s) => w.bySubject[s]), w.hours, w.required, w.behind ? '是' : '否', w.shortBy, w.certificates]);
  }

  const towns = tableSheet(
    wb,
    '镇街汇总',
    [
      { header: '镇街', width: 14 },
      { header: '网格员（人）', width: 10, numFmt: COUNT },
      ...subjectColumns(),
      { header: '合计学时', width: 10, numFmt: HOURS },
      { header: '人均学时', width: 10, numFmt: HOURS },
      { header: '达标（人）', width: 10, numFmt: COUNT },
      { header: '未达标（人）', width: 10, numFmt: COUNT },
      { header: '达标率', width: 10, numFmt: RATE },
      { header: '证书（张）', width: 10, numFmt: COUNT },
    ],
    1,
  );
  for (const t of p.towns) towns.addRow([t.town.name, ...totalsCells(t)]);
  const total = towns.addRow(['合计', ...totalsCells(p.total)]);
  total.font = { bold: true };
  total.border = { top: { style: 'thin' } };

  notesSheet(wb, [
    ['年度', String(p.year)],
    ['范围', input.scope],
    ['生成时间', input.generatedAt],
    ['年度要求', `每名网格员每年 ${p.required} 学时（培训设置，县网格办可调整）`],
    ['学时', '当年举办的培训场次中登记的本人学时之和，按课程科目分列；未离职（在岗、请假）的网格员逐人列出。'],
    ['是否未达标', '合计学时少于年度要求为“是”，尚差学时 = 年度要求 − 合计学时。'],
  ]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
