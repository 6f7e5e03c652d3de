import type { AlertClearReason, AlertKind, AlertSeverity } from '../contracts/alerts.js';
import type { AssignmentStanding } from '../contracts/assignments.js';
import type { Role } from '../contracts/auth.js';
import type { TeamType } from '../contracts/catalog.js';
import type { EventSource, EventStatus, Step, Urgency } from '../contracts/events.js';
import type { PublicStep } from '../contracts/public-report.js';
import type { Action, TeamStatus, TimelineEntry } from '../contracts/workflow.js';
import type { TrainingSubject } from '../contracts/training.js';

/**
 * The product's one vocabulary: the words for every state, action, step, urgency, alert kind,
 * team status and type, intake channel and role, in both UI languages. The server's messages,
 * the console's i18n tables and the field app's are generated from these tables, so a word is
 * changed here or nowhere. Each table is a `Record` over its code list: a code without a label
 * does not compile, and `labels.test.ts` checks every code against the contract lists.
 *
 * Glossary (GB/T 30428 family, 城市网格化管理; county practice where the standard is silent):
 * - The loop's steps are the standard's nouns: 上报 report → 受理 admit → 立案 file → 派遣 dispatch →
 *   处置 handle → 反馈 report back → 核查 verify → 结案 close → 评价 evaluate.
 * - A state is the step done, with 已: 已上报, 已立案, 已派遣, 已签收, 已反馈, 已核查, 已结案, 已作废,
 *   已合并; except the ongoing 处置中 and the refusals 不予受理 (not admitted to the catalog) and
 *   不予立案 (not filed), which name a decision rather than a deed.
 * - An action is the bare verb: 立案, 派遣, 签收, 作废… The same word as the state it leads to,
 *   without 已 (作废 is the button, 已作废 the case).
 * - 签收 (not 接单): a team takes a dispatched task by signing for it, as in the standard and the
 *   province's 基层治理 platforms; 接单 is ride-hailing talk.
 * - 回退 (not 退回): a team gives a task back to the command centre; the alert says 任务回退.
 *   返工 is the verifier sending the work back to the team, a different thing.
 * - 机器派单 is the county's name for automatic dispatch, kept as one fixed term beside 派遣.
 * - 受理上报 is the intake's timeline entry (the report received and admitted); its refusal is
 *   不予受理.
 * - The field app's buttons (`FIELD_BUTTON_LABELS`) say what the worker does, which is the
 *   action's name except for 到场 (the action 开始处置: the worker arrives and starts) and
 *   不通过，返工 (the action 返工, said as the counterpart of 核查通过 on the verifier's screen).
 *   There is no 出发 button: 签收 is setting off, and the team shows as 在途 from then on, on the
 *   phone and on the console alike.
 */

export const LABEL_LANGUAGES = ['zh-CN', 'en'] as const;
export type LabelLanguage = (typeof LABEL_LANGUAGES)[number];

/** One word or short phrase in every UI language. */
export type Label = Readonly<Record<LabelLanguage, string>>;

/** Timeline entries that record something other than a person's action (intake, the machine, deadlines). */
export type SystemEntryKind = Exclude<TimelineEntry['action'], Action>;

/** The big and small buttons of the field app's task screen. */
export type FieldButton = 'accept' | 'start' | 'report' | 'verify' | 'return' | 'rework';

/** Case states (`EventStatus`), as the case is now. */
export const STATUS_LABELS: Readonly<Record<EventStatus, Label>> = {
  reported: { 'zh-CN': '已上报', en: 'Reported' },
  filed: { 'zh-CN': '已立案', en: 'Filed' },
  rejected: { 'zh-CN': '不予立案', en: 'Not filed' },
  void: { 'zh-CN': '已作废', en: 'Void' },
  dispatched: { 'zh-CN': '已派遣', en: 'Dispatched' },
  accepted: { 'zh-CN': '已签收', en: 'Accepted' },
  in_progress: { 'zh-CN': '处置中', en: 'In progress' },
  handled: { 'zh-CN': '已反馈', en: 'Reported back' },
  verified: { 'zh-CN': '已核查', en: 'Verified' },
  closed: { 'zh-CN': '已结案', en: 'Closed' },
  merged: { 'zh-CN': '已合并', en: 'Merged' },
  not_admitted: { 'zh-CN': '不予受理', en: 'Not admitted' },
};

/** Actions of the closed loop (`Action`), as verbs: on buttons, in the timeline, in refusals. */
export const ACTION_LABELS: Readonly<Record<Action, Label>> = {
  file: { 'zh-CN': '立案', en: 'File' },
  reject: { 'zh-CN': '不予立案', en: 'Do not file' },
  void: { 'zh-CN': '作废', en: 'Void' },
  dispatch: { 'zh-CN': '派遣', en: 'Dispatch' },
  accept: { 'zh-CN': '签收', en: 'Accept' },
  return: { 'zh-CN': '回退', en: 'Return' },
  start: { 'zh-CN': '开始处置', en: 'Start' },
  report: { 'zh-CN': '处置反馈', en: 'Report back' },
  verify: { 'zh-CN': '核查通过', en: 'Verify' },
  rework: { 'zh-CN': '返工', en: 'Rework' },
  close: { 'zh-CN': '结案', en: 'Close' },
  'request-extension': { 'zh-CN': '申请延期', en: 'Request extension' },
  'approve-extension': { 'zh-CN': '批准延期', en: 'Approve extension' },
  'deny-extension': { 'zh-CN': '驳回延期', en: 'Deny extension' },
  supervise: { 'zh-CN': '督办', en: 'Supervise' },
  merge: { 'zh-CN': '合并', en: 'Merge' },
};

/** Timeline entries written by intake, the machine and the deadline monitor. */
export const SYSTEM_ENTRY_LABELS: Readonly<Record<SystemEntryKind, Label>> = {
  intake: { 'zh-CN': '受理上报', en: 'Report received' },
  'not-admitted': { 'zh-CN': '不予受理', en: 'Not admitted' },
  'self-handled': { 'zh-CN': '自行处置', en: 'Handled on the spot' },
  'auto-dispatch': { 'zh-CN': '机器派单', en: 'Auto-dispatched' },
  'deadline-warning': { 'zh-CN': '时限预警', en: 'Deadline warning' },
  'deadline-overdue': { 'zh-CN': '超期告警', en: 'Overdue' },
  'master-updated': { 'zh-CN': '主件进展', en: 'Master updated' },
};

/** Steps that carry a deadline (`Step`), as nouns: 立案环节, the dispatch step. */
export const STEP_LABELS: Readonly<Record<Step, Label>> = {
  file: { 'zh-CN': '立案', en: 'Filing' },
  dispatch: { 'zh-CN': '派遣', en: 'Dispatch' },
  handle: { 'zh-CN': '处置', en: 'Handling' },
  verify: { 'zh-CN': '核查', en: 'Verification' },
};

/** Urgency tiers (catalog-reference §2). */
export const URGENCY_LABELS: Readonly<Record<Urgency, Label>> = {
  P0: { 'zh-CN': '特急', en: 'Critical' },
  P1: { 'zh-CN': '紧急', en: 'Urgent' },
  P2: { 'zh-CN': '一般', en: 'Normal' },
  P3: { 'zh-CN': '复杂', en: 'Complex' },
};

/**
 * The public steps of the loop a resident and an Open311 client see (shared/contracts/public-report.ts):
 * never the internal states, only received, filed or not admitted, in progress, closed.
 */
export const PUBLIC_STEP_LABELS: Readonly<Record<PublicStep, Label>> = {
  received: { 'zh-CN': '已受理登记', en: 'Received' },
  filed: { 'zh-CN': '已立案', en: 'Filed' },
  not_admitted: { 'zh-CN': '不予受理', en: 'Not admitted' },
  in_progress: { 'zh-CN': '处置中', en: 'In progress' },
  closed: { 'zh-CN': '已办结', en: 'Closed' },
};

/** Kinds of alert a person on duty acknowledges. */
export const ALERT_KIND_LABELS: Readonly<Record<AlertKind, Label>> = {
  urgent_event: { 'zh-CN': '紧急事件', en: 'Urgent case' },
  near_deadline: { 'zh-CN': '临近超期', en: 'Deadline near' },
  overdue: { 'zh-CN': '超期', en: 'Overdue' },
  task_returned: { 'zh-CN': '任务回退', en: 'Task returned' },
  team_silent: { 'zh-CN': '队伍失联', en: 'Team silent' },
  assignment_reported: { 'zh-CN': '交办结果', en: 'Assignment result' },
};

/** How a city's assignment (市级交办) stands against its deadline. */
export const ASSIGNMENT_STANDING_LABELS: Readonly<Record<AssignmentStanding, Label>> = {
  open: { 'zh-CN': '在办', en: 'Open' },
  overdue: { 'zh-CN': '超期未办结', en: 'Overdue' },
  // 反馈, not 办结: a case not filed or voided is reported back too
  on_time: { 'zh-CN': '按期反馈', en: 'Reported on time' },
  late: { 'zh-CN': '逾期反馈', en: 'Reported late' },
};

/** How loudly an alert asks for a person (严重: a P0 case; 提示: listed only, no tone). */
export const ALERT_SEVERITY_LABELS: Readonly<Record<AlertSeverity, Label>> = {
  critical: { 'zh-CN': '严重', en: 'Critical' },
  warning: { 'zh-CN': '警告', en: 'Warning' },
  notice: { 'zh-CN': '提示', en: 'Notice' },
};

/** Why an alert cleared itself: its cause ended (自动解除). */
export const ALERT_CLEAR_LABELS: Readonly<Record<AlertClearReason, Label>> = {
  case_closed: { 'zh-CN': '案件已结案', en: 'case closed' },
  case_voided: { 'zh-CN': '案件已作废', en: 'case voided' },
  case_merged: { 'zh-CN': '案件已合并', en: 'case merged' },
  case_rejected: { 'zh-CN': '案件不予立案', en: 'case not filed' },
  case_not_admitted: { 'zh-CN': '案件不予受理', en: 'case not admitted' },
  accepted: { 'zh-CN': '队伍已签收', en: 'a team signed for it' },
  step_moved: { 'zh-CN': '已进入下一环节', en: 'moved to another step' },
  extended: { 'zh-CN': '时限已延期', en: 'deadline extended' },
  now_overdue: { 'zh-CN': '已转为超期', en: 'now overdue' },
  dispatched: { 'zh-CN': '已重新派遣', en: 'dispatched again' },
  team_seen: { 'zh-CN': '队伍已恢复联系', en: 'team heard from' },
  team_free: { 'zh-CN': '队伍已无在办案件', en: 'team holds no case' },
  rule_changed: { 'zh-CN': '规则调整后解除', en: 'cleared by a rule change' },
};

/** A field team's status. */
export const TEAM_STATUS_LABELS: Readonly<Record<TeamStatus, Label>> = {
  available: { 'zh-CN': '空闲', en: 'Available' },
  en_route: { 'zh-CN': '在途', en: 'En route' },
  on_scene: { 'zh-CN': '到场处置', en: 'On scene' },
  busy: { 'zh-CN': '忙碌', en: 'Busy' },
  off_duty: { 'zh-CN': '离岗', en: 'Off duty' },
};

/** Types of field force. */
export const TEAM_TYPE_LABELS: Readonly<Record<TeamType, Label>> = {
  law_enforcement: { 'zh-CN': '综合执法', en: 'Law enforcement' },
  village_cadre: { 'zh-CN': '村社干部', en: 'Village cadres' },
  mediator: { 'zh-CN': '调解员', en: 'Mediators' },
  grid_worker: { 'zh-CN': '网格员', en: 'Grid workers' },
  emergency_rescue: { 'zh-CN': '应急救援', en: 'Emergency rescue' },
  police: { 'zh-CN': '派出所', en: 'Police station' },
};

/** Intake channels (catalog-reference §3). */
export const SOURCE_LABELS: Readonly<Record<EventSource, Label>> = {
  grid_patrol: { 'zh-CN': '网格员巡查', en: 'Grid patrol' },
  hotline_12345: { 'zh-CN': '12345 热线', en: '12345 hotline' },
  video_ai: { 'zh-CN': '视频 AI', en: 'Video AI' },
  citizen_app: { 'zh-CN': '群众上报', en: 'Citizen app' },
  police_110: { 'zh-CN': '110 警情分流', en: '110 referral' },
  department: { 'zh-CN': '部门推送', en: 'Department' },
  petition: { 'zh-CN': '信访', en: 'Petition' },
};

/** Roles of user accounts. */
export const ROLE_LABELS: Readonly<Record<Role, Label>> = {
  dispatcher: { 'zh-CN': '指挥调度员', en: 'Dispatcher' },
  duty_officer: { 'zh-CN': '值班员', en: 'Duty officer' },
  shift_lead: { 'zh-CN': '带班领导', en: 'Shift lead' },
  field_worker: { 'zh-CN': '网格员', en: 'Grid worker' },
  catalog_approver: { 'zh-CN': '清单审核人', en: 'Catalog approver' },
  grid_office: { 'zh-CN': '网格办', en: 'Grid office' },
  sysadmin: { 'zh-CN': '系统管理员', en: 'System administrator' },
  secadmin: { 'zh-CN': '安全管理员', en: 'Security administrator' },
  auditor: { 'zh-CN': '审计管理员', en: 'Audit administrator' },
  wall: { 'zh-CN': '指挥大屏', en: 'Video wall' },
  integration: { 'zh-CN': '接口调用方', en: 'Integration client' },
};

/** The six training subjects of the source paper (队伍建设: 党建知识、政策法规、业务知识、职业操守、系统操作、综合素质). */
export const TRAINING_SUBJECT_LABELS: Readonly<Record<TrainingSubject, Label>> = {
  party_building: { 'zh-CN': '党建知识', en: 'Party building' },
  policy_law: { 'zh-CN': '政策法规', en: 'Policy and law' },
  business: { 'zh-CN': '业务知识', en: 'Business knowledge' },
  ethics: { 'zh-CN': '职业操守', en: 'Professional ethics' },
  system_operation: { 'zh-CN': '系统操作', en: 'System operation' },
  general_quality: { 'zh-CN': '综合素质', en: 'General quality' },
};

/** The field app's task buttons: the action's own word unless the glossary above says why not. */
export const FIELD_BUTTON_LABELS: Readonly<Record<FieldButton, Label>> = {
  accept: ACTION_LABELS.accept,
  start: { 'zh-CN': '到场', en: 'Arrived' },
  report: ACTION_LABELS.report,
  verify: ACTION_LABELS.verify,
  return: ACTION_LABELS.return,
  rework: { 'zh-CN': '不通过，返工', en: 'Not OK: rework' },
};

/** One language's column of a table, e.g. as an i18next subtree: `{ reported: '已上报', … }`. */
export function labelsIn<K extends string>(table: Readonly<Record<K, Label>>, lang: LabelLanguage): Record<K, string> {
  return Object.fromEntries(Object.entries<Label>(table).map(([code, label]) => [code, label[lang]])) as Record<K, string>;
}
