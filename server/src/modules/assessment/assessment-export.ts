import type { AssessmentResponse, AssessmentRow } from '../../../../shared/contracts/assessment.js';
import { PATROL_MINUTES_PER_WORKING_DAY, QUALITY_PENALTY, REWARD_TOP_SHARE, type Rating } from '../../../../shared/domain/assessment.js';
import { notesSheet, tableSheet, type ColumnSpec } from '../kpi/kpi-xlsx.js';

/**
 * A period's results as the assessment meeting's papers: the workbook (results, the reward list,
 * the exit-review list, how it was computed) and the printable page, with the same figures as
 * `GET /api/v1/assessment/periods/{id}`.
 */

export const RATING_WORDS: Record<Rating, string> = { excellent: '优秀', good: '良好', pass: '合格', fail: '不合格' };
const EMPLOYMENT_WORDS = { full_time: '专职', part_time: '兼职' } as const;
const DECISION_WORDS = { approved: '同意', rejected: '不同意' } as const;

const COUNT = '0';
const SCORE = '0.0';

export interface AssessmentExportInput {
  res: AssessmentResponse;
  /** The scope in words (the county, or the town asked for). */
  scope: string;
  center: string;
  generatedAt: string;
}

/** The formulas, in the words of the papers (shared/domain/assessment.ts is the rule). */
export function formulaLines(res: AssessmentResponse): Array<[string, string]> {
  const w = res.period.weights;
  return [
    ['总分', `德 × ${w.de}% + 能 × ${w.neng}% + 勤 × ${w.qin}% + 绩 × ${w.ji}%；德、能未评定的不计总分、不排名。`],
    ['德、能', '由所在乡镇（街道）网格办评定，0–100 分，附评语。'],
    [
      '勤',
      `50 × 巡查天数 ÷ 工作日数（至多 1）+ 30 × 已巡查微网格 ÷ 负责微网格（未分配微网格的按巡查天数占比）+ 20 × 巡查时长 ÷（工作日数 × ${PATROL_MINUTES_PER_WORKING_DAY} 分钟）（至多 1）。本期工作日 ${res.period.workingDays} 天（按工作日历）。`,
    ],
    [
      '绩',
      `50% 工作量 + 50% 质量。工作量 = 100 × 加权工作量 ÷ 全县第 90 百分位数（至多 100）；加权工作量 = 每百户上报与处置件数 × 网格难度系数。质量 = 100 × 按期办结 ÷ 办结（无办结为 100）− 每件返工或退回扣 ${QUALITY_PENALTY} 分，不低于 0。`,
    ],
    ['等次', '优秀 ≥ 90，良好 ≥ 80，合格 ≥ 60，不合格 < 60。'],
    ['名单', `奖励名单建议：等次优秀且在本乡镇排名前 ${Math.round(REWARD_TOP_SHARE * 100)}%（至少 1 人）；退出审查建议：等次不合格。均须一人提名、另一人审定并写明理由。`],
  ];
}

const chinaTime = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

const RESULT_COLUMNS: ColumnSpec[] = [
  { header: '全县排名', width: 8, numFmt: COUNT },
  { header: '乡镇排名', width: 8, numFmt: COUNT },
  { header: '姓名', width: 10 },
  { header: '编号', width: 9 },
  { header: '用工', width: 7 },
  { header: '乡镇（街道）', width: 14 },
  { header: '网格', width: 22 },
  { header: '德', width: 7, numFmt: SCORE },
  { header: '能', width: 7, numFmt: SCORE },
  { header: '勤', width: 7, numFmt: SCORE },
  { header: '绩', width: 7, numFmt: SCORE },
  { header: '总分', width: 8, numFmt: SCORE },
  { header: '等次', width: 8 },
  { header: '巡查天数', width: 8, numFmt: COUNT },
  { header: '巡查时长（分钟）', width: 10, numFmt: COUNT },
  { header: '已巡查/负责微网格', width: 12 },
  { header: '上报（件）', width: 8, numFmt: COUNT },
  { header: '处置（件）', width: 8, numFmt: COUNT },
  { header: '按期办结/办结', width: 11 },
  { header: '返工（件）', width: 8, numFmt: COUNT },
  { header: '退回（件）', width: 8, numFmt: COUNT },
  { header: '加权工作量', width: 10, numFmt: '0.00' },
  { header: '评语', width: 40 },
  { header: '评定人', width: 12 },
];

export function resultCells(r: AssessmentRow): unknown[] {
  const f = r.figures;
  return [
    r.rankCounty,
    r.rankTown,
    r.name,
    r.workerId,
    EMPLOYMENT_WORDS[r.employment],
    r.town.name,
    r.grid.name,
    r.de,
    r.neng,
    r.qin,
    r.ji,
    r.total,
    r.rating ? RATING_WORDS[r.rating] : '未评定',
    f.patrolDays,
    f.patrolMinutes,
    `${f.microGridsCovered}/${f.microGridsServed}`,
    f.reported,
    f.handled,
    `${f.onTime}/${f.closed}`,
    f.reworked,
    f.returned,
    f.workload,
    r.comment ?? '',
    r.reviewer ?? '',
  ];
}

/** The rows of a list: every worker proposed for it, with the proposal and the decision. */
function listRows(res: AssessmentResponse, list: 'reward' | 'exit_review') {
  return res.rows.flatMap((r) => r.decisions.filter((d) => d.list === list).map((d) => ({ r, d })));
}

export async function assessmentWorkbook(input: AssessmentExportInput): Promise<Buffer> {
  const { res } = input;
  const wb = new (await import('exceljs')).default.Workbook();
  wb.creator = input.center;
  wb.created = new Date(input.generatedAt);
  wb.title = `${input.scope}网格员考核（${res.period.id}）`;
  const ws = tableSheet(wb, '考核结果', RESULT_COLUMNS, 4);
  for (const r of res.rows) ws.addRow(resultCells(r));
  for (const list of ['reward', 'exit_review'] as const) {
    const sheet = tableSheet(
      wb,
      list === 'reward' ? '奖励名单' : '退出审查名单',
      [
        { header: '姓名', width: 10 },
        { header: '编号', width: 9 },
        { header: '乡镇（街道）', width: 14 },
        { header: '总分', width: 8, numFmt: SCORE },
        { header: '等次', width: 8 },
        { header: '提名理由', width: 36 },
        { header: '提名人', width: 12 },
        { header: '审定', width: 8 },
        { header: '审定理由', width: 36 },
        { header: '审定人', width: 12 },
      ],
      1,
    );
    for (const { r, d } of listRows(res, list)) {
      sheet.addRow([r.name, r.workerId, r.town.name, r.total, r.rating ? RATING_WORDS[r.rating] : '', d.proposal, d.proposedBy, d.decision ? DECISION_WORDS[d.decision] : '待审定', d.reason ?? '', d.decidedBy ?? '']);
    }
  }
  notesSheet(wb, [
    ['表名', `${input.scope}网格员德能勤绩考核（${res.period.id}）`],
    ['考核期', `${res.period.startsOn} 至 ${res.period.endsOn}（${res.period.status === 'closed' ? '已定分' : '进行中，数据截至生成时间'}）`],
    ['范围', input.scope],
    ['生成时间', chinaTime(input.generatedAt)],
    ['人数', `考核 ${res.summary.workers} 人，已评定德能 ${res.summary.reviewed} 人；优秀 ${res.summary.ratings.excellent}、良好 ${res.summary.ratings.good}、合格 ${res.summary.ratings.pass}、不合格 ${res.summary.ratings.fail}`],
    ...formulaLines(res),
  ]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The printable page (A4 landscape): the same table and lists, for signing at the meeting. */
export function assessmentPrintPage(input: AssessmentExportInput): string {
  const { res } = input;
  const cell = (v: unknown) => `<td>${v === null || v === undefined ? '' : escapeHtml(String(v))}</td>`;
  const head = RESULT_COLUMNS.slice(0, 23).map((c) => `<th>${escapeHtml(c.header)}</th>`).join('');
  const body = res.rows.map((r) => `<tr>${resultCells(r).slice(0, 23).map(cell).join('')}</tr>`).join('\n');
  const list = (l: 'reward' | 'exit_review') => {
    const rows = listRows(res, l);
    if (rows.length === 0) return '<p class="empty">（无）</p>';
    return `<table><thead><tr><th>姓名</th><th>乡镇（街道）</th><th>总分</th><th>提名理由</th><th>提名人</th><th>审定</th><th>审定理由</th><th>审定人</th></tr></thead><tbody>${rows
      .map(({ r, d }) => `<tr>${[r.name, r.town.name, r.total, d.proposal, d.proposedBy, d.decision ? DECISION_WORDS[d.decision] : '待审定', d.reason, d.decidedBy].map(cell).join('')}</tr>`)
      .join('')}</tbody></table>`;
  };
  const title = `${input.scope}网格员德能勤绩考核结果（${res.period.id}）`;
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>
@page { size: A4 landscape; margin: 12mm; }
body { font-family: "WenQuanYi Micro Hei", "Microsoft YaHei", sans-serif; font-size: 10pt; color: #000; }
h1 { font-size: 16pt; text-align: center; margin: 0 0 4mm; }
h2 { font-size: 12pt; margin: 6mm 0 2mm; }
.meta { text-align: center; margin-bottom: 4mm; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #444; padding: 1mm 1.5mm; text-align: center; }
thead { display: table-header-group; }
tr { page-break-inside: avoid; }
.notes td { text-align: left; }
.sign { margin-top: 10mm; display: flex; justify-content: space-around; }
.empty { color: #444; }
</style></head><body>
<h1>${escapeHtml(title)}</h1>
<p class="meta">考核期 ${escapeHtml(res.period.startsOn)} 至 ${escapeHtml(res.period.endsOn)} · ${res.period.status === 'closed' ? '已定分' : '进行中（数据截至打印时）'} · 考核 ${res.summary.workers} 人 · 优秀 ${res.summary.ratings.excellent} · 良好 ${res.summary.ratings.good} · 合格 ${res.summary.ratings.pass} · 不合格 ${res.summary.ratings.fail} · 生成于 ${escapeHtml(chinaTime(input.generatedAt))}</p>
<table><thead><tr>${head}</tr></thead><tbody>
${body}
</tbody></table>
<h2>奖励名单（以奖代补）</h2>${list('reward')}
<h2>退出审查名单</h2>${list('exit_review')}
<h2>计算方法</h2><table class="notes"><tbody>${formulaLines(res).map(([k, v]) => `<tr><th>${escapeHtml(k)}</th>${cell(v)}</tr>`).join('')}</tbody></table>
<div class="sign"><span>制表：</span><span>审核：</span><span>${escapeHtml(input.center)}（盖章）</span></div>
</body></html>`;
}
